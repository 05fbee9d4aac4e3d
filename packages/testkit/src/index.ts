export { createOpenAISimulator } from './simulator/create-openai-simulator.ts';
export type { OpenAISimulator, OpenAISimulatorOptions } from './simulator/create-openai-simulator.ts';
export type { ReplyContext, SimulatorOptions } from './simulator/simulator-options.ts';
export type { BatchItemFailureOptions, SimulatorControls } from './simulator/simulator-controls.ts';
export type { ScriptedReply, ScriptedToolCall, SimulatorFault, SimulatorRoute } from './faults/simulator-fault.ts';
export type { RecordedFile, RecordedRequest } from './recording/recorded-request.ts';
export { defaultModels } from './models/default-models.ts';
export type { SimulatedModel } from './models/default-models.ts';
export { countTokens } from './tokens/count-tokens.ts';
