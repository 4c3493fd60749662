/** ASCII JSON-like text of exactly `length` bytes: the kind of message compression is for. */
export function jsonLikeText(length) {
  const items = [];
  let json = '';
  for (let i = 0; json.length < length; i++) {
    items.push({ id: i, user: `user-${i % 17}`, action: i % 3 ? 'update' : 'create', price: (i * 7.31) % 100, ok: i % 2 === 0 });
    json = JSON.stringify({ type: 'batch', seq: 123456, items });
  }
  return json.slice(0, length);
}
