/**
 * An independent model of HAProxy 2.6's line tokenizer (configuration
 * manual §2.2), for tests: it cuts a configuration into lines of words the
 * way HAProxy reads them — unquoted backslash escapes, `'…'` strong quotes,
 * `"…"` weak quotes, `#` comments — so tests can compare what HAProxy will
 * see, not the raw text.
 */

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  ' ': ' ', '#': '#', '\\': '\\', "'": "'", '"': '"', n: '\n', r: '\r', t: '\t', $: '$', '\t': '\t',
}

/** Words of one line (comment removed); throws on unterminated quotes. */
export function tokenizeLine(line: string): string[] {
  const words: string[] = []
  let word: string | null = null
  let quote: "'" | '"' | null = null
  const add = (s: string): void => { word = (word ?? '') + s }
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string
    if (quote === "'") {
      if (ch === "'") quote = null
      else add(ch)
      continue
    }
    if (ch === '\\') {
      const next = line[i + 1]
      if (next === 'x' && /^[0-9a-fA-F]{2}$/.test(line.slice(i + 2, i + 4))) {
        add(String.fromCharCode(parseInt(line.slice(i + 2, i + 4), 16)))
        i += 3
      } else if (next !== undefined && SIMPLE_ESCAPES[next] !== undefined) {
        add(SIMPLE_ESCAPES[next] as string)
        i += 1
      } else {
        add('\\')
      }
      continue
    }
    if (quote === '"') {
      if (ch === '"') quote = null
      else add(ch)
      continue
    }
    if (ch === "'" || ch === '"') { quote = ch; add(''); continue }
    if (ch === '#') break
    if (ch === ' ' || ch === '\t') {
      if (word !== null) words.push(word)
      word = null
      continue
    }
    add(ch)
  }
  if (quote !== null) throw new Error(`unterminated ${quote} quote`)
  if (word !== null) words.push(word)
  return words
}

/** Every line of a configuration as words; blank and comment-only lines give []. */
export function tokenizeConfig(config: string): string[][] {
  return config.split('\n').map(tokenizeLine)
}
