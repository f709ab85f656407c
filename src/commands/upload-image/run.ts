import { extname } from 'node:path';
import type { Context } from '../../context.js';
import { IMAGE_EXTENSIONS, IMAGE_MAX_BYTES } from '../../card/local-images.js';
import { clientFromContext } from '../../feishu/client.js';
import { uploadImage } from '../../feishu/media-api.js';
import { readUserFile } from '../../input/user-file.js';
import { usageError } from '../../output/errors.js';

export async function run(ctx: Context, file: string, opts: { type?: string }): Promise<void> {
  const imageType = opts.type ?? 'message';
  if (imageType !== 'message' && imageType !== 'avatar') throw usageError(`--type must be message or avatar, not ${JSON.stringify(imageType)}`);
  if (!IMAGE_EXTENSIONS.has(extname(file).toLowerCase())) {
    throw usageError(`${file}: not an image file the platform takes (${[...IMAGE_EXTENSIONS].join(' ')})`);
  }
  const { bytes: data } = await readUserFile(file, {
    what: 'image',
    maxBytes: IMAGE_MAX_BYTES,
    tooLarge: (path, n) => usageError(`${path} is ${n} bytes; the platform takes images up to 10 MB (send larger ones as files)`),
  });
  const size = data.length;
  if (size === 0) throw usageError(`${file} is empty; the platform refuses empty images`);
  const client = await clientFromContext(ctx);
  try {
    const key = await uploadImage(client, { data, path: file }, imageType);
    ctx.out.print(key);
    ctx.out.success(`Uploaded ${file} (${size} bytes) as ${imageType === 'avatar' ? 'an avatar' : 'a message image'}`);
    ctx.out.result({ image_key: key, file, bytes: size, image_type: imageType });
  } finally {
    await client.close();
  }
}
