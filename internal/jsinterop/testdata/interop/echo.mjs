// Answers {"sum": a + b, "items": n} for {"a", "b", "items": [...]}, or
// prints no JSON when asked to.
import { readFileSync } from "node:fs";
const req = JSON.parse(readFileSync(0, "utf8"));
if (req.garbage) {
  process.stdout.write("not json");
} else {
  process.stdout.write(JSON.stringify({ sum: req.a + req.b, items: req.items.length }));
}
