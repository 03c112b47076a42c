// {{functionName}}: reuse one AWS client across warm invocations.
//
// GET /items/{id} reads the item from the DynamoDB table TABLE_NAME (key attribute "id", a string) and returns it
// as JSON.
//
// Why the client is created at module level, outside the handler: Lambda loads this module once per execution
// environment, then calls `handler` for every event that environment serves. A client made here resolves credentials
// and configuration once, and keeps its TCP and TLS connection to DynamoDB open between calls (SDK v3 enables HTTP
// keep-alive by default), so a warm invocation skips those handshakes (often tens of milliseconds). A client made
// inside the handler would redo all of that on every call.
import { DynamoDBClient, GetItemCommand, type GetItemCommandOutput } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';

const TABLE_NAME = process.env.TABLE_NAME ?? 'items';

// Once per execution environment (see above). SDK v3 honours AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_DYNAMODB, so tests
// can point it at a local emulator.
const dynamodb = new DynamoDBClient({});

// Module state survives between warm invocations too: 1 means this call was a cold start.
let invocations = 0;

const HEADERS = { 'Content-Type': 'application/json' };
// JSON.stringify cannot print the Sets unmarshall produces for SS/NS attributes.
const replacer = (_key: string, value: unknown): unknown => (value instanceof Set ? [...value] : value);
const response = (statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 => ({
  statusCode, headers: HEADERS, body: JSON.stringify(body, replacer),
});

export const handler = async (event: APIGatewayProxyEventV2, context: Context): Promise<APIGatewayProxyStructuredResultV2> => {
  invocations += 1;
  console.log(JSON.stringify({ message: 'invocation', invocation: invocations, coldStart: invocations === 1, requestId: context.awsRequestId }));

  // The route /items/{id} fills pathParameters; fall back to the last path segment.
  const id = event.pathParameters?.id ?? (event.rawPath ?? '').replace(/\/+$/, '').split('/').pop();
  if (!id || id === 'items') return response(400, { error: 'Call /items/{id}' });

  let result: GetItemCommandOutput;
  try {
    result = await dynamodb.send(new GetItemCommand({ TableName: TABLE_NAME, Key: { id: { S: id } } }));
  } catch (error) {
    // Answer 500 with the reason instead of crashing.
    const err = error instanceof Error ? error : new Error(String(error));
    const body = { error: { type: err.name, message: err.message } };
    console.error(JSON.stringify({ ...body, table: TABLE_NAME, id }));
    return response(500, body);
  }

  if (!result.Item) return response(404, { error: `No item with id ${id}` });
  return response(200, { item: unmarshall(result.Item), invocation: invocations });
};
