import type { SimulatedModel } from '../../../models/default-models.ts';
import { findModel, type EngineState } from '../../engine/engine-state.ts';
import { invalidRequest, notFound, type ApiFailure } from '../../http/api-failure.ts';

/** The 404 OpenAI sends for a model that does not exist. */
export function modelNotFound(model: string): ApiFailure {
  return notFound(`The model \`${model}\` does not exist or you do not have access to it.`, null, 'model_not_found');
}

/**
 * Finds a model of the wanted kind, or the failure OpenAI sends instead. Under the
 * `compatible` profile any model answers, as a model of the wanted kind, whether
 * the catalogue has it or not (a local server serves whatever name it is given).
 */
export function requireModel(
  state: EngineState,
  id: string,
  kind: SimulatedModel['kind'],
  endpoint: string,
): SimulatedModel | ApiFailure {
  const model = findModel(state, id);
  if (state.options.profile === 'compatible') {
    return {
      id,
      created: 0,
      ownedBy: 'system',
      dimensions: 1536,
      supportsDimensions: true,
      ...model,
      kind,
      reasoning: false,
    };
  }
  if (model === undefined) return modelNotFound(id);
  if (model.kind === kind) return model;
  if (kind === 'chat') {
    return notFound(`This is not a chat model and thus not supported in the ${endpoint} endpoint.`, 'model', null);
  }
  return invalidRequest(
    'model',
    `The model \`${id}\` does not support the ${endpoint} endpoint.`,
    'model_not_supported',
  );
}

/** Reasoning models reject `max_tokens` and any temperature but 1, as OpenAI's do. */
export function checkReasoningParameters(
  model: SimulatedModel,
  body: Readonly<Record<string, unknown>>,
  maxTokensField: string | undefined,
): ApiFailure | undefined {
  if (model.reasoning !== true) return undefined;
  if (maxTokensField !== undefined && body[maxTokensField] !== undefined && body[maxTokensField] !== null) {
    return invalidRequest(
      maxTokensField,
      `Unsupported parameter: '${maxTokensField}' is not supported with this model. Use 'max_completion_tokens' instead.`,
      'unsupported_parameter',
    );
  }
  const temperature = body['temperature'];
  if (typeof temperature === 'number' && temperature !== 1) {
    return invalidRequest(
      'temperature',
      `Unsupported value: 'temperature' does not support ${temperature} with this model. Only the default (1) value is supported.`,
      'unsupported_value',
    );
  }
  return undefined;
}
