// A plain AWS SDK for JavaScript v3 client in its adaptive retry mode (a client-side token bucket steered by a cubic
// function of the last throttle): WRITERS tasks each send 25 generated items of ~1 KB with BatchWriteItem and re-send
// UnprocessedItems (or a batch still throttled after the SDK's own retries) after 50 ms.
// node writer.mjs URL TABLE ITEMS [WRITERS]
import { DynamoDBClient, BatchWriteItemCommand } from "@aws-sdk/client-dynamodb";

const [url, table, itemsText, writersText] = process.argv.slice(2);
const items = Number(itemsText);
const writers = Number(writersText ?? 16);
const client = new DynamoDBClient({
  endpoint: url,
  region: "us-east-1",
  credentials: { accessKeyId: "bench", secretAccessKey: "bench" },
  retryMode: "adaptive",
});
const payload = "x".repeat(960);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
let next = 0;

async function write() {
  for (;;) {
    const first = next;
    next += 25;
    if (first >= items) return;
    const puts = [];
    for (let i = first; i < Math.min(items, first + 25); i++) {
      puts.push({ PutRequest: { Item: { pk: { S: `item-${i}` }, n: { N: String(i) }, payload: { S: payload } } } });
    }
    let pending = { [table]: puts };
    while (Object.keys(pending).length > 0) {
      try {
        const answer = await client.send(new BatchWriteItemCommand({ RequestItems: pending }));
        pending = answer.UnprocessedItems ?? {};
      } catch (error) {
        if (error.name !== "ProvisionedThroughputExceededException" && error.name !== "ThrottlingException") throw error;
      }
      if (Object.keys(pending).length > 0) await sleep(50);
    }
  }
}

await Promise.all(Array.from({ length: writers }, write));
