import type { SimulatedModel } from '../../../models/default-models.ts';
import { findModel } from '../../engine/engine-state.ts';
import { failed, type RouteContext, type RouteResult } from '../../engine/route-types.ts';
import { modelNotFound } from '../shared/model-checks.ts';

function toWire(model: SimulatedModel): Record<string, unknown> {
  return { id: model.id, object: 'model', created: model.created, owned_by: model.ownedBy };
}

/** GET /v1/models: the whole catalogue in one unpaginated list. */
export function listModels(context: RouteContext): RouteResult {
  return { kind: 'json', body: { object: 'list', data: context.state.options.models.map(toWire) } };
}

/** GET /v1/models/{model}. */
export function retrieveModel(context: RouteContext): RouteResult {
  const { id } = context;
  const model = findModel(context.state, id);
  return model === undefined ? failed(modelNotFound(id)) : { kind: 'json', body: toWire(model) };
}
