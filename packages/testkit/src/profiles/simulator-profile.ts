/**
 * Which server the simulator imitates:
 *
 * - `openai` (default): api.openai.com, as strict as the real API (unknown
 *   arguments, `json_object` without the word "json", strict schemas that break
 *   the rules are refused with OpenAI's 400s).
 * - `azure`: an Azure OpenAI resource: the v1 API under `/openai/v1` and the
 *   classic deployment API under `/openai/deployments/{deployment}` with
 *   `api-version`; `api-key` or Entra bearer auth; Azure's error bodies, rate-limit
 *   headers and content filter.
 * - `compatible`: an OpenAI-compatible server (vLLM, Ollama, LM Studio, llama.cpp):
 *   any model name answers, unknown arguments are ignored, no rate-limit headers,
 *   no usage chunk in streams, errors outside an `error` field or as plain text.
 */
export type SimulatorProfile = 'openai' | 'azure' | 'compatible';

/** Every profile, in the order the documentation lists them. */
export const simulatorProfiles: readonly SimulatorProfile[] = ['openai', 'azure', 'compatible'];

/** Whether a string names a profile. */
export function isSimulatorProfile(value: string): value is SimulatorProfile {
  return (simulatorProfiles as readonly string[]).includes(value);
}
