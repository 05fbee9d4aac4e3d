import { fileURLToPath } from 'node:url';

/** The repository's root folder, where the `.env` file the live suite reads lives. */
export const repositoryRoot: string = fileURLToPath(new URL('../../../../', import.meta.url));
