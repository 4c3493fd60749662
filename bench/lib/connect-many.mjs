/** Opens `count` connections with at most `concurrency` handshakes in flight (a burst of thousands overflows the listen backlog). */
export async function connectMany(adapter, port, count, concurrency, options = {}) {
  const conns = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      conns[index] = await adapter.connect(port, options);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return conns;
}
