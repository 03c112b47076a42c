// A minimal Node.js handler: greets whoever the event names and counts warm invocations.
let invocations = 0; // module state survives between invocations of a warm environment

export const handler = async (event, context) => {
  invocations += 1;
  const name = event.name ?? 'world';
  console.log(`Hello, ${name}! (invocation ${invocations} of this environment)`);
  return {
    statusCode: 200,
    body: JSON.stringify({ message: `Hello, ${name}!`, requestId: context.awsRequestId, remainingMs: context.getRemainingTimeInMillis() }),
  };
};
