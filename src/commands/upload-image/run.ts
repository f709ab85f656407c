import { extname } from 'node:path';
import { IMAGE_EXTENSIONS, IMAGE_MAX_BYTES } from '../../card/local-images.js';
import { uploadImage, type ImageType } from '../../feishu/media-api.js';
import { readUserFile } from '../../input/user-file.js';
import { usageError } from '../../output/errors.js';
import type { CommandContext } from '../declare.js';

export async function run(ctx: CommandContext, file: string, opts: { type: ImageType }): Promise<void> {
  const imageType = opts.type;
  if (!IMAGE_EXTENSIONS.has(extname(file).toLowerCase())) {
    throw usageError(`${file}: not an image file the platform takes (${[...IMAGE_EXTENSIONS].join(' ')})`);
  }
  const { bytes: data } = await readUserFile(file, {
    what: 'image',
    maxBytes: IMAGE_MAX_BYTES,
    cwd: ctx.cwd,
    tooLarge: (path, n) => usageError(`${path} is ${n} bytes; the platform takes images up to 10 MB (send larger ones as files)`),
  });
  const size = data.length;
  if (size === 0) throw usageError(`${file} is empty; the platform refuses empty images`);
  const key = await uploadImage(await ctx.client(), { data, path: file }, imageType);
  ctx.out.print(key);
  ctx.out.success(`Uploaded ${file} (${size} bytes) as ${imageType === 'avatar' ? 'an avatar' : 'a message image'}`);
  ctx.out.result({ image_key: key, file, bytes: size, image_type: imageType });
}
