import { z } from 'zod';

/** A text part of a chat message. */
export const chatTextPartSchema = z.looseObject({ type: z.literal('text'), text: z.string() });

/** An image part (`image_url`): an http(s) URL or a base64 `data:` URL, with an optional detail level. */
const chatImagePartSchema = z.looseObject({
  type: z.literal('image_url'),
  image_url: z.looseObject({
    url: z
      .string()
      .min(1)
      .refine((url) => URL.canParse(url), { message: 'must be a valid url' }),
    detail: z.enum(['auto', 'low', 'high']).optional(),
  }),
});

/** An audio part (`input_audio`): base64 data in wav or mp3. */
const chatAudioPartSchema = z.looseObject({
  type: z.literal('input_audio'),
  input_audio: z.looseObject({ data: z.string().min(1), format: z.enum(['wav', 'mp3']) }),
});

/** A file part: an uploaded `file_id`, or inline `file_data` with a `filename`. */
const chatFilePartSchema = z.looseObject({
  type: z.literal('file'),
  file: z
    .looseObject({ filename: z.string().optional(), file_data: z.string().optional(), file_id: z.string().optional() })
    .refine((file) => file.file_id !== undefined || file.file_data !== undefined, {
      message: 'must have file_id or file_data',
    }),
});

/** A refusal part, only in assistant messages. */
export const chatRefusalPartSchema = z.looseObject({ type: z.literal('refusal'), refusal: z.string() });

/**
 * Any content part of a user message: `text`, `image_url`, `input_audio` or `file`.
 * Unknown extra fields are kept.
 */
export const chatContentPartSchema = z.discriminatedUnion('type', [
  chatTextPartSchema,
  chatImagePartSchema,
  chatAudioPartSchema,
  chatFilePartSchema,
]);

/** A content part of a user message (text, image, audio or file). */
export type ChatContentPart = z.infer<typeof chatContentPartSchema>;
