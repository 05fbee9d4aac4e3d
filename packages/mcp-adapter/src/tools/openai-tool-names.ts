/**
 * The names of every tool {@link registerOpenAITools} can register, in the order they
 * are listed to clients. Use them in the `tools` (include) and `exclude` options.
 */
export const openAIToolNames = [
  'openai_chat',
  'openai_embed',
  'openai_moderate',
  'openai_list_models',
  'openai_select_model',
  'openai_list_files',
  'openai_delete_file',
  'openai_batch_submit',
  'openai_batch_status',
  'openai_batch_cancel',
  'openai_usage_report',
] as const;

/** The name of one tool {@link registerOpenAITools} can register. */
export type OpenAIToolName = (typeof openAIToolNames)[number];

const known = new Set<string>(openAIToolNames);

/** Whether a string names one of the tools (`openai_chat`, ...). */
export function isOpenAIToolName(value: string): value is OpenAIToolName {
  return known.has(value);
}
