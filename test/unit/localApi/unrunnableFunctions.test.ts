import * as assert from 'node:assert/strict';
import { templateCloud, type TemplateCloud } from '../support/templateCloud';

const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Resources:
  Local:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: nodejs22.x
      Events:
        Get: { Type: HttpApi, Properties: { Path: /local, Method: GET } }
  Packaged:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: s3://artifacts-bucket/builds/packaged.zip
      Handler: app.handler
      Runtime: nodejs22.x
      Events:
        Get: { Type: HttpApi, Properties: { Path: /packaged, Method: GET } }
  Image:
    Type: AWS::Serverless::Function
    Properties:
      PackageType: Image
      ImageUri: 123456789012.dkr.ecr.us-east-1.amazonaws.com/app:latest
      Events:
        Get: { Type: HttpApi, Properties: { Path: /image, Method: GET } }
  Shared:
    Type: AWS::Serverless::Application
    Properties: { Location: shared/template.yaml }
`;

describe('local API: a template with functions that cannot run here', function () {
  this.timeout(60_000);
  let t: TemplateCloud;
  before(async () => {
    t = await templateCloud({ 'template.yaml': TEMPLATE, 'src/app.js': "exports.handler = async () => ({ statusCode: 200, body: 'local' });\n" });
  });
  after(() => t?.close());

  it('serves the rest of the template, says at start which functions are not run and why, and answers their routes 502', async () => {
    const local = await t.fetch('/local');
    assert.equal(local.status, 200);
    assert.equal(await local.text(), 'local');
    const notes = t.cloud.model.notes.join('\n');
    assert.match(notes, /Packaged is not run locally: Packaged's code is in S3 \(s3:\/\/artifacts-bucket\/builds\/packaged\.zip\), not on this machine\. Point its CodeUri at the code's folder/);
    assert.match(notes, /Image is not run locally: Image is a container image function \(PackageType: Image\), which runs only in a container/);
    assert.match(notes, /The nested stack Shared is not served: start \S*shared\/template\.yaml on its own port for its routes\./);
    for (const path of ['/packaged', '/image']) {
      const res = await t.fetch(path);
      assert.equal(res.status, 502, path);
      assert.deepEqual(await res.json(), { message: 'Internal server error' });
      assert.match(t.access.at(-1)?.problem ?? '', /is not run locally \(see the notes at start\)/);
    }
  });
});
