import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { EventCatalog } from '../../../src/core/events/catalog';
import { generateEvent } from '../../../src/core/events/generate';
import { typeCheckEvents, type TypedEvent } from './eventTypes';

const catalog = new EventCatalog();
type Obj = Record<string, unknown>;
const records = (e: unknown): Obj[] => ((e as Obj).Records ?? (e as Obj).records ?? []) as Obj[];

describe('Event catalog', () => {
  it('every entry generates valid JSON with its defaults, and with count=3 where it repeats records', () => {
    for (const source of catalog.list()) {
      for (const [type, entry] of Object.entries(source.types)) {
        const event = generateEvent(catalog, source.id, type);
        const text = JSON.stringify(event);
        assert.doesNotMatch(text, /\{\{\w+(:\w+)?\}\}/, `${source.id} ${type}: every placeholder is filled`);
        if (entry.generators?.includes('records')) {
          const many = generateEvent(catalog, source.id, type, { count: 3 });
          const path = (entry.recordsPath ?? 'Records').split('.');
          const list = path.reduce<unknown>((v, k) => (v as Obj)[k], many) as unknown[];
          assert.equal(list.length, 3, `${source.id} ${type}: count=3 gives 3 records`);
          assert.equal(new Set(list.map((r) => JSON.stringify(r))).size, 3, `${source.id} ${type}: the records of a batch differ (ids for batchItemFailures)`);
        }
      }
    }
  });

  it('every entry declares only known generators and parameters it uses', () => {
    for (const source of catalog.list()) {
      for (const [type, entry] of Object.entries(source.types)) {
        const template = catalog.template(source.id, type);
        for (const name of Object.keys(entry.params ?? {})) {
          if (name === 'count' || ['logGroup', 'logStream', 'message', 'owner', 'filterName'].includes(name)) continue;
          assert.ok(template.includes(`{{${name}`), `${source.id} ${type}: parameter '${name}' is used by ${entry.file}`);
        }
      }
    }
  });

  it('matches the @types/aws-lambda type of every entry that has one', function () {
    this.timeout(120_000);
    const typed: TypedEvent[] = [];
    for (const source of catalog.list()) {
      for (const [type, entry] of Object.entries(source.types)) {
        if (entry.awsType) typed.push({ name: `${source.id} ${type}`, awsType: entry.awsType, event: generateEvent(catalog, source.id, type) });
      }
    }
    assert.ok(typed.length > 0);
    const errors = typeCheckEvents(typed);
    assert.deepEqual(Object.fromEntries(errors), {}, 'events that do not match their @types/aws-lambda type');
  });

  it('fills parameters, URL-encodes S3 keys as S3 does and computes SQS md5OfBody', () => {
    const s3 = generateEvent(catalog, 's3', 'put', { bucket: 'photos', key: 'my cats/tom 1.jpg', size: '2048', region: 'eu-west-1' });
    const object = ((records(s3)[0].s3 as Obj).object as Obj);
    assert.equal(object.key, 'my+cats/tom+1.jpg');
    assert.equal(object.size, 2048);
    assert.equal(records(s3)[0].awsRegion, 'eu-west-1');
    assert.equal(decodeURIComponent(String(object.key).replace(/\+/g, ' ')), 'my cats/tom 1.jpg');
    const sqs = generateEvent(catalog, 'sqs', 'receive-message', { body: '{"order":42}', count: 2 });
    for (const r of records(sqs)) assert.equal(r.md5OfBody, createHash('md5').update(String(r.body)).digest('hex'));
    assert.notEqual(records(sqs)[0].messageId, records(sqs)[1].messageId, 'each record has its own id');
  });

  it('encodes Kinesis data as base64 of the body', function () {
    if (!catalog.find('kinesis/get-records')) this.skip();
    const e = generateEvent(catalog, 'kinesis', 'get-records', { data: 'hello kinesis' });
    assert.equal(Buffer.from(String((records(e)[0].kinesis as Obj).data), 'base64').toString(), 'hello kinesis');
  });

  it('uses a Kinesis sequence number as given; the next records of a batch count up from it', function () {
    if (!catalog.find('kinesis/get-records')) this.skip();
    const one = records(generateEvent(catalog, 'kinesis', 'get-records', { sequence: '123' }))[0];
    assert.deepEqual([(one.kinesis as Obj).sequenceNumber, one.eventID], ['123', 'shardId-000000000006:123']);
    const batch = records(generateEvent(catalog, 'kinesis', 'get-records', { sequence: '0099', count: 3 }));
    assert.deepEqual(batch.map((r) => (r.kinesis as Obj).sequenceNumber), ['0099', '0100', '0101']);
  });

  it("writes API Gateway's and function URLs' requestTime / time as AWS does (12/Mar/2020:19:03:58 +0000), the instant of its epoch; EventBridge's time and Alexa's timestamp in whole seconds", () => {
    const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    const clf = /^(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) \+0000$/;
    const checked: string[] = [];
    for (const source of catalog.list()) {
      for (const type of Object.keys(source.types)) {
        const event = generateEvent(catalog, source.id, type) as Obj;
        const context = event.requestContext as Obj | undefined;
        for (const [field, epochField] of [['requestTime', 'requestTimeEpoch'], ['time', 'timeEpoch']]) {
          if (!context || !(field in context)) continue;
          const m = clf.exec(String(context[field]));
          assert.ok(m, `${source.id} ${type}: requestContext.${field} is '${String(context[field])}'`);
          const [, day, month, year, h, min, sec] = m;
          const epoch = context[epochField];
          assert.equal(typeof epoch, 'number', `${source.id} ${type}: requestContext.${epochField} beside it`);
          assert.equal(Date.UTC(Number(year), months.indexOf(month), Number(day), Number(h), Number(min), Number(sec)), Math.floor(Number(epoch) / 1000) * 1000, `${source.id} ${type}: ${field} and ${epochField} are one instant`);
          checked.push(`${source.id} ${type}`);
        }
        const wholeSeconds = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
        if ('detail-type' in event) assert.match(String(event.time), wholeSeconds, `${source.id} ${type}: EventBridge time`);
        if (source.id === 'alexa-skills-kit') assert.match(String((event.request as Obj).timestamp), wholeSeconds, `${source.id} ${type}: request.timestamp`);
      }
    }
    for (const e of ['apigateway aws-proxy', 'apigateway http-api-proxy', 'apigateway request-authorizer', 'lambda-url request']) assert.ok(checked.includes(e), `${e} was checked`);
  });

  it('gzips and base64-encodes a real CloudWatch Logs document for subscriptions', function () {
    if (!catalog.find('cloudwatch/logs')) this.skip();
    const e = generateEvent(catalog, 'cloudwatch', 'logs', { message: 'first\\nsecond' }) as { awslogs: { data: string } };
    const doc = JSON.parse(gunzipSync(Buffer.from(e.awslogs.data, 'base64')).toString()) as Obj;
    assert.equal(doc.messageType, 'DATA_MESSAGE');
    assert.deepEqual((doc.logEvents as Obj[]).map((l) => l.message), ['first', 'second']);
  });

  it('rejects unknown sources, types and parameters with the known ones listed', () => {
    assert.throws(() => generateEvent(catalog, 'nope', 'x'), /Unknown event source 'nope'. Sources: .*s3/);
    assert.throws(() => generateEvent(catalog, 's3', 'nope'), /Unknown s3 event type 'nope'. Types: .*put/);
    assert.throws(() => generateEvent(catalog, 's3', 'put', { buckett: 'x' }), /s3 put has no parameter 'buckett'. Parameters: .*bucket/);
    assert.throws(() => generateEvent(catalog, 's3', 'put', { size: 'big' }), /'size' must be a number/);
    assert.deepEqual(generateEvent(catalog, 's3', 'put', { 'account-id': '111122223333' }) !== undefined, true, 'kebab-case names are accepted');
  });
});

describe('Event catalog coverage', () => {
  // Every source and type `sam local generate-event` offers (its 26 sources and 68 types), by its own names.
  const SAM: Record<string, string[]> = {
    'alexa-skills-kit': ['end-session', 'intent-answer', 'intent-getnewfact', 'intent-mycoloris', 'intent-recipe', 'start-session'],
    'alexa-smart-home': ['smart-home-control-turn-off-request', 'smart-home-control-turn-on-request', 'smart-home-discovery-request'],
    alb: ['request'],
    apigateway: ['authorizer', 'request-authorizer', 'aws-proxy', 'http-api-proxy'],
    appsync: ['resolver'],
    batch: ['get-job', 'submit-job'],
    cloudformation: ['create-request'],
    cloudfront: ['ab-test', 'access-request-in-response', 'http-redirect', 'modify-querystring', 'modify-response-header',
      'multiple-remote-calls-aggregate-response', 'normalize-querystring-to-improve-cache-hit', 'redirect-on-viewer-country',
      'redirect-unauthenticated-users', 'response-generation', 'serve-object-on-viewer-device', 'simple-remote-call'],
    codecommit: ['repository'],
    codepipeline: ['job'],
    cognito: ['sync-trigger'],
    config: ['item-change-notification', 'oversized-item-change-notification', 'periodic-rule'],
    connect: ['contact-flow-event'],
    dynamodb: ['update'],
    cloudwatch: ['logs', 'scheduled-event'],
    kinesis: ['get-records', 'kinesis-firehose', 'analytics', 'analytics-compressed', 'analytics-dynamodb', 'analytics-kpl', 'apachelog',
      'cloudwatch-logs-processor', 'streams-as-source', 'syslog'],
    lex: ['book-car', 'book-hotel', 'make-appointment', 'order-flowers'],
    'lex-v2': ['banking-bot', 'book-car', 'book-hotel'],
    rekognition: ['s3-request'],
    s3: ['batch-invocation', 'delete', 'put'],
    sagemaker: ['ground-truth-pre-human', 'ground-truth-annotation-consolidation'],
    ses: ['email-receiving'],
    sns: ['notification'],
    sqs: ['receive-message'],
    stepfunctions: ['error'],
    workmail: ['email'],
  };
  const EXTRAS: Record<string, string[]> = {
    eventbridge: ['custom', 's3-object-created'],
    'lambda-url': ['request'],
    kafka: ['msk', 'self-managed'],
    dynamodb: ['insert', 'modify', 'remove'],
    'cognito-user-pool': ['pre-sign-up', 'post-confirmation', 'pre-authentication', 'post-authentication', 'pre-token-generation',
      'custom-message', 'define-auth-challenge', 'create-auth-challenge', 'verify-auth-challenge-response', 'user-migration'],
  };

  it('has every source and type of sam local generate-event (26 sources, 68 types)', () => {
    assert.equal(Object.keys(SAM).length, 26);
    assert.equal(Object.values(SAM).flat().length, 68);
    const missing = Object.entries(SAM).flatMap(([source, types]) => types.filter((t) => !catalog.find(`${source}/${t}`)).map((t) => `${source}/${t}`));
    assert.deepEqual(missing, []);
  });

  it('adds what sam lacks: EventBridge, function URLs, Kafka, DynamoDB INSERT/MODIFY/REMOVE, Cognito user-pool triggers, S3 via EventBridge', () => {
    const missing = Object.entries(EXTRAS).flatMap(([source, types]) => types.filter((t) => !catalog.find(`${source}/${t}`)).map((t) => `${source}/${t}`));
    assert.deepEqual(missing, []);
  });
});
