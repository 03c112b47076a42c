import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJsonError, type ServiceHandler } from './server';

type Item = Record<string, Record<string, unknown>>;

/** DynamoDB's JSON 1.0 protocol (`X-Amz-Target: DynamoDB_20120810.*`): GetItem and PutItem over in-memory tables
 *  keyed by their first key attribute. */
export class DynamoDbService implements ServiceHandler {
  readonly tables = new Map<string, Map<string, Item>>();

  createTable(name: string, items: Item[] = [], keyName = 'id'): void {
    const table = new Map<string, Item>();
    for (const item of items) table.set(JSON.stringify(item[keyName]), item);
    this.tables.set(name, table);
  }

  handle(req: IncomingMessage, body: Buffer, res: ServerResponse): boolean {
    const target = String(req.headers['x-amz-target'] ?? '');
    if (!target.startsWith('DynamoDB_20120810.')) return false;
    const input = JSON.parse(body.toString() || '{}') as { TableName?: string; Key?: Item; Item?: Item };
    const table = this.tables.get(input.TableName ?? '');
    if (!table) {
      sendJsonError(res, 400, 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException', 'Requested resource not found');
      return true;
    }
    const op = target.split('.')[1];
    let out: unknown;
    if (op === 'GetItem') {
      const [keyValue] = Object.values(input.Key ?? {});
      const item = table.get(JSON.stringify(keyValue));
      out = item ? { Item: item } : {};
    } else if (op === 'PutItem') {
      const [keyValue] = Object.values(input.Item ?? {});
      table.set(JSON.stringify(keyValue), input.Item ?? {});
      out = {};
    } else {
      sendJsonError(res, 400, 'com.amazon.coral.service#UnknownOperationException', `${op} is not emulated`);
      return true;
    }
    const text = JSON.stringify(out);
    res.writeHead(200, { 'Content-Type': 'application/x-amz-json-1.0', 'x-amzn-RequestId': randomUUID(), 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
    return true;
  }
}
