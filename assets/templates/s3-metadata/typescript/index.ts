// {{functionName}}: when an object is uploaded to S3, log its metadata.
//
// S3 invokes the function with an event naming the bucket and key; the function asks S3 for the object's metadata
// (HeadObject: no body is downloaded) and logs it as one JSON line.
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Context, S3Event } from 'aws-lambda';

// Created once per execution environment, outside the handler, so warm invocations reuse its connections and
// credentials. SDK v3 honours AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_S3, so tests can point it at an emulator.
const s3 = new S3Client({});

export interface Result {
  statusCode: number;
  body: string;
}

export const handler = async (event: S3Event, context: Context): Promise<Result> => {
  try {
    // S3 sends one record per notification.
    const { bucket, object } = event.Records[0].s3;
    // Keys arrive URL-encoded, with spaces as '+': "my photo.jpg" is "my+photo.jpg".
    const key = decodeURIComponent(object.key.replace(/\+/g, ' '));

    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket.name, Key: key }));
    // Named as in the S3 API.
    const line = JSON.stringify({
      Bucket: bucket.name,
      Key: key,
      ContentType: head.ContentType,
      ContentLength: head.ContentLength,
      LastModified: head.LastModified?.toISOString(),
    });
    console.log(line);
    return { statusCode: 200, body: line };
  } catch (error) {
    // A missing object, a denied request or a malformed event all end here. Returning (not throwing) keeps S3
    // from retrying an event that will fail again.
    const err = error instanceof Error ? error : new Error(String(error));
    const body = { error: { type: err.name, message: err.message } };
    console.error(JSON.stringify({ ...body, requestId: context.awsRequestId }));
    return { statusCode: 500, body: JSON.stringify(body) };
  }
};
