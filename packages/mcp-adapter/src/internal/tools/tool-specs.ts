import type { OpenAIToolName } from '../../tools/openai-tool-names.ts';
import type { ToolContext } from '../tool-context.ts';
import type { ToolSpec } from '../tool-spec.ts';
import { batchCancelTool } from './batch-cancel-tool.ts';
import { batchStatusTool } from './batch-status-tool.ts';
import { batchSubmitTool } from './batch-submit-tool.ts';
import { chatTool } from './chat-tool.ts';
import { deleteFileTool } from './delete-file-tool.ts';
import { embedTool } from './embed-tool.ts';
import { listFilesTool } from './list-files-tool.ts';
import { listModelsTool } from './list-models-tool.ts';
import { moderateTool } from './moderate-tool.ts';
import { selectModelTool } from './select-model-tool.ts';
import { usageReportTool } from './usage-report-tool.ts';

/** Every tool, in listing order, with the factory that builds it for a registration. */
export const toolSpecs: readonly {
  readonly name: OpenAIToolName;
  readonly create: (context: ToolContext) => ToolSpec;
}[] = [
  { name: 'openai_chat', create: chatTool },
  { name: 'openai_embed', create: embedTool },
  { name: 'openai_moderate', create: moderateTool },
  { name: 'openai_list_models', create: listModelsTool },
  { name: 'openai_select_model', create: selectModelTool },
  { name: 'openai_list_files', create: listFilesTool },
  { name: 'openai_delete_file', create: deleteFileTool },
  { name: 'openai_batch_submit', create: batchSubmitTool },
  { name: 'openai_batch_status', create: batchStatusTool },
  { name: 'openai_batch_cancel', create: batchCancelTool },
  { name: 'openai_usage_report', create: usageReportTool },
];
