// {{functionName}}: when an image is uploaded to S3, write a thumbnail of it.
//
// The image is read with GetObject, shrunk to fit in 200 x 200 px (keeping its aspect ratio and format) and written
// with PutObject to THUMBNAIL_BUCKET (by default the same bucket) under THUMBNAIL_PREFIX (default "thumbnails/").
// For a separate "<bucket>-thumbnails" bucket set THUMBNAIL_BUCKET to it (and THUMBNAIL_PREFIX to "" if you want the
// same keys there).
//
// sharp has native code: the package you deploy must hold its Linux build, e.g.
//   npm install --os=linux --cpu=x64 sharp     (--cpu=arm64 for Graviton functions)
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
// Imported at module level: loading sharp's native library is part of the cold start, not of every invocation.
import sharp from 'sharp';

const MAX_SIZE = 200;
const THUMBNAIL_PREFIX = process.env.THUMBNAIL_PREFIX ?? 'thumbnails/';
const THUMBNAIL_BUCKET = process.env.THUMBNAIL_BUCKET ?? '';
const IMAGE_EXTENSIONS = /\.(jpe?g|png|gif|webp|avif|tiff?)$/i;

// Created once per execution environment and reused by warm invocations. SDK v3 honours AWS_ENDPOINT_URL /
// AWS_ENDPOINT_URL_S3 (local emulators).
const s3 = new S3Client({});

function skipped(bucket, key, reason) {
  const body = JSON.stringify({ skipped: { bucket, key, reason } });
  console.log(body);
  return { statusCode: 200, body };
}

export const handler = async (event, context) => {
  try {
    // S3 sends one record per notification.
    const { bucket: { name: bucket }, object } = event.Records[0].s3;
    // Keys arrive URL-encoded, with spaces as '+'.
    const key = decodeURIComponent(object.key.replace(/\+/g, ' '));
    const targetBucket = THUMBNAIL_BUCKET || bucket;

    // Writing the thumbnail is itself an upload that triggers this function again. Without this check each
    // thumbnail would get a thumbnail of its own, forever: an endless, billed loop. (With the same bucket and an
    // empty prefix every key matches, which is right: the thumbnail would overwrite the original.)
    if (targetBucket === bucket && key.startsWith(THUMBNAIL_PREFIX)) return skipped(bucket, key, `already under '${THUMBNAIL_PREFIX}'`);
    if (!IMAGE_EXTENSIONS.test(key)) return skipped(bucket, key, 'not an image');

    const source = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if (!source.Body) throw new Error(`s3://${bucket}/${key} has no body`);
    const input = await source.Body.transformToByteArray();
    const { data, info } = await sharp(input)
      .rotate() // applies the EXIF orientation phone cameras record, or the thumbnail comes out sideways
      .resize(MAX_SIZE, MAX_SIZE, { fit: 'inside', withoutEnlargement: true }) // keeps the aspect ratio
      .toBuffer({ resolveWithObject: true }); // same format as the input
    const contentType = `image/${info.format}`;

    const targetKey = THUMBNAIL_PREFIX + key;
    await s3.send(new PutObjectCommand({ Bucket: targetBucket, Key: targetKey, Body: data, ContentType: contentType }));

    const body = JSON.stringify({
      source: { bucket, key },
      thumbnail: { bucket: targetBucket, key: targetKey, width: info.width, height: info.height, size: data.length, contentType },
    });
    console.log(body);
    return { statusCode: 200, body };
  } catch (error) {
    // A missing object, a denied request or a file that is not a readable image all end here. Returning (not
    // throwing) keeps S3 from retrying an event that will fail again.
    const body = { error: { type: error?.name ?? 'Error', message: error?.message ?? String(error) } };
    console.error(JSON.stringify({ ...body, requestId: context.awsRequestId }));
    return { statusCode: 500, body: JSON.stringify(body) };
  }
};
