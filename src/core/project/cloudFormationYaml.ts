import { parse, type CollectionTag, type ScalarTag } from 'yaml';

/** CloudFormation's short-form intrinsic tags (`!Ref`, `!Sub`, `!GetAtt`…), turned into their long JSON form so a
 *  template parses instead of choking, and later code sees one shape. */
const FUNCTIONS = ['And', 'Base64', 'Cidr', 'Condition', 'Equals', 'FindInMap', 'GetAtt', 'GetAZs', 'If', 'ImportValue',
  'Join', 'Not', 'Or', 'Select', 'Split', 'Sub', 'Transform', 'ToJsonString', 'Length'];

function longName(name: string): string {
  return name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
}

const tags: (ScalarTag | CollectionTag)[] = ['Ref', ...FUNCTIONS].flatMap((name) => {
  const key = longName(name);
  const scalar: ScalarTag = {
    tag: `!${name}`,
    resolve: (value: string) => ({ [key]: name === 'GetAtt' ? value.split('.') : value }),
  };
  const seq: CollectionTag = {
    tag: `!${name}`, collection: 'seq',
    resolve: (value) => ({ [key]: (value as unknown as { toJSON(): unknown }).toJSON() }) as never,
  };
  const map: CollectionTag = {
    tag: `!${name}`, collection: 'map',
    resolve: (value) => ({ [key]: (value as unknown as { toJSON(): unknown }).toJSON() }) as never,
  };
  return [scalar, seq, map];
});

/** Parses a CloudFormation / SAM template (YAML or JSON). Errors carry the line. */
export function parseCloudFormation(text: string, source: string): Record<string, unknown> {
  try {
    const doc = parse(text, { customTags: tags, prettyErrors: true, uniqueKeys: false }) as unknown;
    if (!doc || typeof doc !== 'object') throw new Error('the document is not a mapping');
    return doc as Record<string, unknown>;
  } catch (error) {
    throw new Error(`${source}: ${error instanceof Error ? error.message.split('\n')[0].replace(/:$/, '') : String(error)}`);
  }
}
