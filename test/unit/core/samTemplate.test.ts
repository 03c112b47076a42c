import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { parseSamTemplateText } from '../../../src/core/project/samTemplate';

const TEMPLATE = `
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage: { Type: String, Default: prod }
Globals:
  Function:
    Runtime: python3.12
    Timeout: 10
    Environment:
      Variables:
        STAGE: !Ref Stage
Resources:
  Api:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/api
      Handler: app.handler
      MemorySize: 512
      Architectures: [arm64]
      Environment:
        Variables:
          TABLE: !Ref Table
          QUEUE_URL: !GetAtt Queue.QueueUrl
          REGION_STAGE: !Sub '\${AWS::Region}-\${Stage}'
          JOINED: !Join [ '-', [ a, !Ref Stage ] ]
          FROM_SELECT: !Select [ 1, [ x, y ] ]
      Events:
        Get: { Type: Api, Properties: { Path: /users, Method: get } }
        Nightly: { Type: Schedule, Properties: { Schedule: rate(1 day) } }
  Worker:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: my-worker
      Code: ./worker
      Handler: index.handler
      Runtime: nodejs20.x
      Role: !GetAtt [ Role, Arn ]
  Table:
    Type: AWS::DynamoDB::Table
  Queue:
    Type: AWS::SQS::Queue
`;

describe('SAM template parsing', () => {
  const parsed = parseSamTemplateText(TEMPLATE, '/project/template.yaml', { region: 'eu-west-1' });

  it('finds AWS::Serverless::Function and AWS::Lambda::Function resources with their lines', () => {
    assert.deepEqual(parsed.functions.map((f) => [f.logicalId, f.name, f.type, f.line]), [
      ['Api', 'Api', 'AWS::Serverless::Function', 14],
      ['Worker', 'my-worker', 'AWS::Lambda::Function', 31],
    ]);
  });

  it('merges Globals into serverless functions only', () => {
    const [api, worker] = parsed.functions;
    assert.equal(api.runtime, 'python3.12');
    assert.equal(api.timeout, 10);
    assert.equal(api.memorySize, 512);
    assert.equal(api.architecture, 'arm64');
    assert.equal(worker.timeout, undefined);
    assert.equal(worker.environment.STAGE, undefined);
  });

  it('resolves code folders against the template folder', () => {
    assert.equal(parsed.functions[0].codeDir, join('/project', 'src', 'api'));
    assert.equal(parsed.functions[1].codeDir, join('/project', 'worker'));
  });

  it('parses !Ref, !Sub, !GetAtt, !Join and !Select instead of choking on them', () => {
    assert.deepEqual(parsed.functions[0].environment, {
      STAGE: 'prod', TABLE: 'Table', QUEUE_URL: '${Queue.QueueUrl}', REGION_STAGE: 'eu-west-1-prod', JOINED: 'a-prod', FROM_SELECT: 'y',
    });
  });

  it('resolves a CodeUri and a FunctionName written with intrinsics; a name it cannot know leaves the logical id', () => {
    const text = `Transform: AWS::Serverless-2016-10-31
Parameters:
  Env: { Type: String, Default: test }
Resources:
  Sub:
    Type: AWS::Serverless::Function
    Properties: { CodeUri: !Sub '\${AWS::Region}/src', FunctionName: !Sub 'orders-\${Env}', Handler: app.handler, Runtime: nodejs22.x }
  Joined:
    Type: AWS::Serverless::Function
    Properties: { CodeUri: !Join [ '/', [ fns, !Ref Env ] ], FunctionName: !Join [ '-', [ jobs, !Ref Env ] ], Handler: app.handler, Runtime: nodejs22.x }
  Imported:
    Type: AWS::Serverless::Function
    Properties: { FunctionName: !ImportValue SharedName, Handler: app.handler, Runtime: nodejs22.x }
  FromS3:
    Type: AWS::Serverless::Function
    Properties: { CodeUri: !Sub 's3://artifacts-\${Env}/fn.zip', Handler: app.handler, Runtime: nodejs22.x }
`;
    const [sub, joined, imported, fromS3] = parseSamTemplateText(text, '/project/template.yaml', { region: 'eu-west-1', parameters: { Env: 'prod' } }).functions;
    assert.deepEqual([sub.name, sub.codeDir], ['orders-prod', join('/project', 'eu-west-1', 'src')]);
    assert.deepEqual([joined.name, joined.codeDir], ['jobs-prod', join('/project', 'fns', 'prod')]);
    assert.deepEqual([imported.name, imported.codeDir], ['Imported', join('/project')]);
    assert.equal(fromS3.remoteCode, 's3://artifacts-prod/fn.zip');
  });

  it('lists event sources by name and type', () => {
    assert.deepEqual(parsed.functions[0].events, { Get: 'Api', Nightly: 'Schedule' });
  });

  it('reports a YAML error with the file name', () => {
    assert.throws(() => parseSamTemplateText('Resources:\n  A: [unclosed\n', '/p/template.yaml'), /\/p\/template\.yaml: /);
  });
});

describe('SAM template parsing: Conditions, !If, !FindInMap and AWS::NoValue', () => {
  const CONDITIONAL = `
Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage: { Type: String, Default: dev }
  Owner: { Type: String }
Mappings:
  StageConfig:
    dev: { Memory: 256, LogLevel: DEBUG }
    prod: { Memory: 1024, LogLevel: WARN }
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
  IsDev: !Not [!Condition IsProd]
  ProdInIreland: !And [!Condition IsProd, !Equals [!Ref 'AWS::Region', eu-west-1]]
  DevOrIreland: !Or [!Condition IsDev, !Equals [!Ref 'AWS::Region', eu-west-1]]
  HasOwner: !Not [!Equals [!Ref Owner, '']]
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      MemorySize: !FindInMap [StageConfig, !Ref Stage, Memory]
      Timeout: !If [IsProd, 30, 5]
      Environment:
        Variables:
          SIZE: !If [IsProd, big, small]
          LEVEL: !FindInMap [StageConfig, !Ref Stage, LogLevel]
          IRELAND: !If [ProdInIreland, 'yes', 'no']
          EITHER: !If [DevOrIreland, 'yes', 'no']
          DEBUG_ONLY: !If [IsDev, 'on', !Ref 'AWS::NoValue']
          OWNER: !If [HasOwner, owned, unowned]
          MISSING: !FindInMap [StageConfig, test, Memory]
`;
  const fn = (options: Parameters<typeof parseSamTemplateText>[2]) => parseSamTemplateText(CONDITIONAL, '/p/template.yaml', options).functions[0];

  it('takes the branch the condition gives for the parameter values (defaults, then overrides); an undecidable one the first', () => {
    const dev = fn({});
    assert.equal(dev.memorySize, 256);
    assert.equal(dev.timeout, 5);
    assert.deepEqual(dev.environment, {
      SIZE: 'small', LEVEL: 'DEBUG', IRELAND: 'no', EITHER: 'yes', DEBUG_ONLY: 'on', OWNER: 'owned', MISSING: '${FindInMap:StageConfig.test.Memory}',
    });
    const prod = fn({ parameters: { Stage: 'prod', Owner: '' }, region: 'eu-west-1' });
    assert.equal(prod.memorySize, 1024);
    assert.equal(prod.timeout, 30);
    assert.deepEqual(prod.environment, {
      SIZE: 'big', LEVEL: 'WARN', IRELAND: 'yes', EITHER: 'yes', OWNER: 'unowned', MISSING: '${FindInMap:StageConfig.test.Memory}',
    }, 'DEBUG_ONLY is AWS::NoValue in prod: left out, as CloudFormation leaves it out');
    assert.equal(fn({ parameters: { Stage: 'prod' }, region: 'us-east-1' }).environment.EITHER, 'no');
  });
});

describe('SAM template parsing: Globals lists', () => {
  it("a function's Layers add to the Globals' (SAM prepends the Globals' entries); a scalar replaces the Globals' value", () => {
    const parsed = parseSamTemplateText(`
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: python3.12
    Timeout: 10
    Architectures: [x86_64]
    Layers: [!Ref Shared]
Resources:
  Shared: { Type: AWS::Serverless::LayerVersion, Properties: { ContentUri: layers/shared } }
  Own: { Type: AWS::Serverless::LayerVersion, Properties: { ContentUri: layers/own } }
  Fn:
    Type: AWS::Serverless::Function
    Properties: { Handler: app.handler, Timeout: 20, Architectures: [arm64], Layers: [!Ref Own, 'arn:aws:lambda:us-east-1:123456789012:layer:remote:1'] }
  Plain:
    Type: AWS::Serverless::Function
    Properties: { Handler: app.handler }
`, '/p/template.yaml');
    const [fn, plain] = parsed.functions;
    assert.deepEqual(fn.layers, [join('/p', 'layers', 'shared'), join('/p', 'layers', 'own')]);
    assert.deepEqual(fn.unavailableLayers, ['arn:aws:lambda:us-east-1:123456789012:layer:remote:1']);
    assert.equal(fn.timeout, 20);
    assert.equal(fn.architecture, 'arm64', 'Lambda takes one architecture: the function\'s own over the Globals\'');
    assert.equal(plain.architecture, 'x86_64');
    assert.deepEqual(plain.layers, [join('/p', 'layers', 'shared')]);
  });
});
