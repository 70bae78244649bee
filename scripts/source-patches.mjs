// Text replaced in dependencies' files as they are bundled (scripts/build.mjs). Each replacement says how often its
// text must occur: a changed dependency fails the build instead of silently going back to the slow or eager path.
import { readFileSync } from 'node:fs';

const inPackage = (path) => new RegExp(`[\\\\/]node_modules[\\\\/]${path.replaceAll('/', '[\\\\/]').replaceAll('.', '\\.')}$`);

export const sourcePatches = [
  // dockerode and docker-modem require these at load time; on first use instead, a start that never builds with
  // registry auth or dials ssh:// loads none of grpc-js, protobufjs or ssh2 (see build.mjs, keepInPlace).
  {
    file: inPackage('dockerode/lib/docker.js'),
    replace: [{ count: 1, from: "withSession = require('./session'),", to: "withSession = function () { return require('./session').apply(this, arguments); }," }],
  },
  {
    file: inPackage('docker-modem/lib/modem.js'),
    replace: [
      { count: 1, from: "ssh = require('./ssh'),", to: "ssh = function () { return require('./ssh').apply(this, arguments); }," },
      // Every request inspects its options (util.inspect, all depths) for a debug line nobody reads unless DEBUG=modem:
      // ~1.5 ms a request, ~60 ms of the 40 requests that bring 20 containers on screen.
      { count: 1, from: "debug('Sending: %s', util.inspect(options, {", to: "if (debug.enabled) debug('Sending: %s', util.inspect(options, {" },
    ],
  },
  // Yoga's Emscripten loader fetch()es its wasm from a data: URL when a global fetch exists, which loads all of
  // undici first: ~80 ms of the first frame. Without fetch it decodes the same base64 in place.
  {
    file: inPackage('yoga-layout/dist/binaries/yoga-wasm-base64-esm.js'),
    replace: [{ count: 2, from: '"function"!=typeof fetch', to: '!0' }],
  },
  // Ink's Output tokenizes and measures every text it writes afresh each frame (its caches live one frame): most of
  // what an idle frame costs, for rows that did not change. Here each frame's caches start with what the frame
  // before used, and only that, so they hold at most two frames' texts.
  {
    file: inPackage('ink/build/output.js'),
    replace: [
      {
        count: 1,
        from: 'class OutputCaches {\n    widths = new Map();\n    blockWidths = new Map();\n    styledChars = new Map();\n',
        to: [
          'class OutputCaches {',
          '    widths = new Map();',
          '    blockWidths = new Map();',
          '    styledChars = new Map();',
          '    lines = new Map();',
          "    getLines(text) { return this.lines.get(text) ?? this.carried('lines', text); }",
          '    setLines(text, lines) { this.lines.set(text, lines); return lines; }',
          '    withStyledChars(line, chars) { if (!this.styledChars.has(line)) this.styledChars.set(line, chars); return line; }',
          '    previous;',
          '    constructor(previous) { this.previous = previous; if (previous) previous.previous = undefined; }',
          '    carried(name, key) { const value = this.previous?.[name].get(key); if (value !== undefined) this[name].set(key, value); return value; }',
          '',
        ].join('\n'),
      },
      { count: 1, from: 'let cached = this.styledChars.get(line);', to: "let cached = this.styledChars.get(line) ?? this.carried('styledChars', line);" },
      // Dropping invisible characters made a new RegExp for every character of every new text; one test of the
      // line says whether any is there at all (none ever is in an ASCII or box-drawing row).
      {
        count: 1,
        from: 'cached = styledCharsFromTokens(tokenize(line)).filter(character => !/^\\p{Default_Ignorable_Code_Point}+$/u.test(character.value));',
        to: 'cached = styledCharsFromTokens(tokenize(line));\n            if (hasIgnorable.test(line)) cached = cached.filter(character => !onlyIgnorable.test(character.value));',
      },
      {
        count: 1,
        from: 'class OutputCaches {\n',
        to: 'const hasIgnorable = /\\p{Default_Ignorable_Code_Point}/u;\nconst onlyIgnorable = /^\\p{Default_Ignorable_Code_Point}+$/u;\nclass OutputCaches {\n',
      },
      { count: 1, from: 'let cached = this.widths.get(text);', to: "let cached = this.widths.get(text) ?? this.carried('widths', text);" },
      { count: 1, from: 'let cached = this.blockWidths.get(text);', to: "let cached = this.blockWidths.get(text) ?? this.carried('blockWidths', text);" },
      { count: 1, from: 'export default class Output {', to: "let lastFrameCaches;\nconst lastFrameRows = [];\nconst blankCellOfGrid = Object.freeze({ type: 'char', value: ' ', fullWidth: false, styles: Object.freeze([]) });\nexport default class Output {" },
      // A write's text split into styled lines, per text (cached like the rest) rather than per write and frame.
      {
        count: 1,
        from: 'const characterLines = [[]];\n        for (const character of this.caches.getStyledChars(text)) {',
        to: 'let lines = this.caches.getLines(text);\n        const characterLines = lines ? null : [[]];\n        if (!lines) for (const character of this.caches.getStyledChars(text)) {',
      },
      // A new text's lines are tokenized once: each line's characters are kept for the line as written, which the
      // row drawing would otherwise tokenize again.
      { count: 1, from: 'let lines = characterLines.map(line => styledCharsToString(line));', to: 'lines ??= this.caches.setLines(text, characterLines.map(chars => this.caches.withStyledChars(styledCharsToString(chars), chars)));' },
      // Every cell of the grid starts as the same blank (cells are replaced, never changed): 11,000 fewer objects a frame.
      { count: 1, from: "row.push({\n                    type: 'char',\n                    value: ' ',\n                    fullWidth: false,\n                    styles: [],\n                });", to: 'row.push(blankCellOfGrid);' },
      { count: 1, from: '    caches = new OutputCaches();', to: '    caches = (lastFrameCaches = new OutputCaches(lastFrameCaches));' },
      // A frame is drawn into a grid of cells, row by row turned back into text: every row every frame, though a j/k
      // press changes two. Here each write's lines are kept per row first (their position and text, transformed as
      // before), and a row whose writes are the very ones it had in the frame before takes that frame's text.
      {
        count: 1,
        from: [
          '        for (let [index, line] of lines.entries()) {',
          '            const currentLine = output[y + index];',
          '            // Lines above or below the output area have no corresponding pre-initialized row.',
          '            if (!currentLine) {',
          '                continue;',
          '            }',
          '            for (const transformer of transformers) {',
          '                line = transformer(line, index + y - operation.y);',
          '            }',
          '            const characters = this.caches.getStyledChars(line);',
          '            // Nothing to write (e.g. line was clipped away).',
          '            if (characters.length === 0) {',
          '                continue;',
          '            }',
          '            let offsetX = x;',
        ].join('\n'),
        to: [
          '        for (let [index, line] of lines.entries()) {',
          '            const rowWrites = output[y + index];',
          '            if (!rowWrites) {',
          '                continue;',
          '            }',
          '            for (const transformer of transformers) {',
          '                line = transformer(line, index + y - operation.y);',
          '            }',
          '            rowWrites.push(x, line);',
          '        }',
          '    }',
          '    rowText(rowWrites, y) {',
          '        const last = lastFrameRows[y];',
          '        if (last && last.width === this.width && last.writes.length === rowWrites.length && last.writes.every((value, i) => value === rowWrites[i])) {',
          '            return last.text;',
          '        }',
          '        const currentLine = new Array(this.width).fill(blankCellOfGrid);',
          '        for (let i = 0; i < rowWrites.length; i += 2) {',
          '            this.writeLine(currentLine, rowWrites[i], rowWrites[i + 1]);',
          '        }',
          '        const text = styledCharsToString(currentLine.filter(item => item !== undefined)).trimEnd();',
          '        lastFrameRows[y] = { width: this.width, writes: rowWrites, text };',
          '        return text;',
          '    }',
          '    writeLine(currentLine, x, line) {',
          '        {',
          '            const characters = this.caches.getStyledChars(line);',
          '            if (characters.length === 0) {',
          '                return;',
          '            }',
          '            let offsetX = x;',
        ].join('\n'),
      },
      {
        count: 1,
        from: [
          '        const output = [];',
          '        for (let y = 0; y < this.height; y++) {',
          '            const row = [];',
          '            for (let x = 0; x < this.width; x++) {',
          '                row.push(blankCellOfGrid);',
          '            }',
          '            output.push(row);',
          '        }',
        ].join('\n'),
        to: '        const output = Array.from({ length: this.height }, () => []);',
      },
      {
        count: 1,
        from: [
          '        const generatedOutput = output',
          '            .map(line => {',
          '            // See https://github.com/vadimdemedes/ink/pull/564#issuecomment-1637022742',
          '            const lineWithoutEmptyItems = line.filter(item => item !== undefined);',
          '            return styledCharsToString(lineWithoutEmptyItems).trimEnd();',
          '        })',
          "            .join('\\n');",
        ].join('\n'),
        to: "        const generatedOutput = output.map((rowWrites, y) => this.rowText(rowWrites, y)).join('\\n');",
      },
    ],
  },
  // Ink squashes every text node's children into one string (colouring each, sanitizing the result) on every frame,
  // for rows that did not change. Here each text node keeps its squashed text until Ink marks it dirty: Ink does
  // so for every change that can alter that text (a child's text, a child added, removed or moved, a nested
  // transform or visibility), on the node and up to the text node that owns the layout.
  {
    file: inPackage('ink/build/squash-text-nodes.js'),
    replace: [
      { count: 1, from: 'const squashTextNodes = (node) => {\n    let text = \'\';', to: "const squashTextNodes = (node) => node.squashedText ??= squashTextNodesAfresh(node);\nconst squashTextNodesAfresh = (node) => {\n    let text = '';" },
    ],
  },
  {
    file: inPackage('ink/build/dom.js'),
    replace: [
      {
        count: 1,
        from: 'const markNodeAsDirty = (node) => {\n',
        to: 'const markNodeAsDirty = (node) => {\n    for (let changed = node; changed; changed = changed.yogaNode ? undefined : changed.parentNode) {\n        changed.squashedText = undefined;\n    }\n',
      },
    ],
  },
  // Ink holds a frame back until 1000/maxFps ms after the one before: a key pressed just after a tick's frame waited
  // up to 17 ms for its own. Frames a key press (or paste) causes are drawn at once; maxFps still bounds the rest.
  {
    file: inPackage('ink/build/components/App.js'),
    replace: [
      { count: 1, from: 'onKittyQueryResponse, onRegisterInputControl,', to: 'onKittyQueryResponse, onInput, onRegisterInputControl,' },
      { count: 1, from: "        handleInput(input);\n        eventEmitterRef.current.emit('input', input);", to: "        handleInput(input);\n        onInput?.();\n        eventEmitterRef.current.emit('input', input);" },
      { count: 1, from: "                eventEmitterRef.current.emit('paste', event.paste);", to: "                onInput?.();\n                eventEmitterRef.current.emit('paste', event.paste);" },
    ],
  },
  {
    file: inPackage('ink/build/ink.js'),
    replace: [
      {
        count: 1,
        from: '    hasPendingThrottledRender = false;\n',
        to: '    hasPendingThrottledRender = false;\n    inputFrame = false;\n    drawNextFrameAtOnce = () => {\n        this.inputFrame = true;\n        setImmediate(() => {\n            this.inputFrame = false;\n        });\n    };\n',
      },
      { count: 1, from: '                this.hasPendingThrottledRender = true;\n                throttled();\n', to: '                this.hasPendingThrottledRender = true;\n                throttled();\n                if (this.inputFrame) {\n                    throttled.flush();\n                }\n' },
      { count: 1, from: 'onKittyQueryResponse: this.handleKittyQueryResponse }', to: 'onKittyQueryResponse: this.handleKittyQueryResponse, onInput: this.drawNextFrameAtOnce }' },
    ],
  },
  // A changed line is written from its first changed cell, which for any line with a non-ASCII character (every
  // row between box borders) means splitting both versions into graphemes, every frame: ~150 ms of 40 s of j/k on
  // 200 containers. Such a line is written whole instead (what Ink does anyway when it cannot tell the column).
  {
    file: inPackage('ink/build/line-update.js'),
    replace: [{ count: 1, from: '    let textLength = 0;\n    let column = 0;\n', to: '    if (!printableAscii.test(previousText) || !printableAscii.test(nextText)) {\n        return full;\n    }\n    let textLength = 0;\n    let column = 0;\n' }],
  },
  // string-width tests every cluster of a non-ASCII string against \p{RGI_Emoji}, a set of ~3,700 sequences that
  // costs V8 ~90 ms to build and tier up: on the first frame, for box-drawing lines. Every RGI emoji has a code point
  // of Emoji_Presentation, or U+FE0F, or is a keycap (U+20E3); a cluster with none of them cannot match, and the set
  // is built the first time one can.
  {
    file: inPackage('string-width/index.js'),
    replace: [
      {
        count: 1,
        from: 'const rgiEmojiRegex = /^\\p{RGI_Emoji}$/v;',
        to: 'let rgiEmojiRegex; const mayBeRgiEmoji = /[\\p{Emoji_Presentation}\\u{FE0F}\\u{20E3}]/u; const isRgiEmoji = (segment) => mayBeRgiEmoji.test(segment) && (rgiEmojiRegex ??= /^\\p{RGI_Emoji}$/v).test(segment);',
      },
      { count: 1, from: 'rgiEmojiRegex.test(segment)', to: 'isRgiEmoji(segment)' },
      // Ink measures the same rows (borders, cells) every frame, and a non-ASCII one goes through the segmenter each
      // time: the widths of the last few thousand texts measured with the default options are kept.
      {
        count: 1,
        from: 'export default function stringWidth(input, options = {}) {',
        to: [
          'const widthCache = new Map();',
          'export default function stringWidth(input, options) {',
          '\tif (options !== undefined) return measureWidth(input, options);',
          '\tlet width = widthCache.get(input);',
          '\tif (width === undefined) {',
          '\t\tif (widthCache.size >= 4096) widthCache.clear();',
          '\t\twidth = measureWidth(input);',
          '\t\twidthCache.set(input, width);',
          '\t}',
          '\treturn width;',
          '}',
          'function measureWidth(input, options = {}) {',
        ].join('\n'),
      },
    ],
  },
];

/** `source` of `path` with the patches for that file applied; unchanged when none is for it. */
export function patchSource(path, source) {
  const patch = sourcePatches.find((p) => p.file.test(path));
  if (!patch) return source;
  return patch.replace.reduce((text, { count, from, to }) => {
    const found = text.split(from).length - 1;
    if (found !== count) throw new Error(`${path} contains ${JSON.stringify(from)} ${found} times, expected ${count}; the dependency changed: review scripts/source-patches.mjs`);
    return text.replaceAll(from, to);
  }, source);
}

/** The esbuild plugin that applies them. */
export const patchSources = {
  name: 'patch-sources',
  setup(b) {
    for (const { file } of sourcePatches) {
      b.onLoad({ filter: file }, (args) => ({ contents: patchSource(args.path, readFileSync(args.path, 'utf8')), loader: 'js' }));
    }
  },
};
