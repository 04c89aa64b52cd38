#!/usr/bin/env node
// Median latency of an ONNX model on onnxruntime's CPU execution provider.
//
//   node bench/ort_latency.js MODEL.onnx [--input [NAME=]FILE.npy ...]
//        [--runs N] [--warmup N] [--threads N] [--output-npy FILE]
//
// Inputs not given are filled with seeded random data (float) or zeros
// (integers), using the model's input shapes (dynamic dimensions become 1).
// --threads sets intraOpNumThreads (interOpNumThreads is always 1, sequential
// execution). Prints `median: X ms` (plus min/mean and the thread count).
// Needs onnxruntime-node: npm install --prefix bench --ignore-scripts onnxruntime-node
'use strict';

const fs = require('fs');
const path = require('path');

function usage(message) {
  if (message) console.error(`error: ${message}`);
  console.error('usage: node ort_latency.js MODEL.onnx [--input [NAME=]FILE.npy ...] ' +
                '[--runs N] [--warmup N] [--threads N] [--output-npy FILE]');
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { model: null, inputs: [], runs: 30, warmup: 5, threads: 1, outputNpy: null };
  for (let i = 0; i < argv.length; ++i) {
    let arg = argv[i];
    let value = null;
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0 && arg !== '--input') {
      value = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    const next = () => {
      if (value !== null) return value;
      if (i + 1 >= argv.length) usage(`${arg} needs a value`);
      return argv[++i];
    };
    const int = (v, min) => {
      const n = Number.parseInt(v, 10);
      if (!Number.isInteger(n) || String(n) !== String(v).trim() || n < min)
        usage(`invalid value '${v}' for ${arg}`);
      return n;
    };
    if (arg === '--input') opts.inputs.push(next());
    else if (arg === '--runs') opts.runs = int(next(), 1);
    else if (arg === '--warmup') opts.warmup = int(next(), 0);
    else if (arg === '--threads') opts.threads = int(next(), 0);
    else if (arg === '--output-npy') opts.outputNpy = next();
    else if (arg === '-h' || arg === '--help') usage();
    else if (arg.startsWith('-')) usage(`unknown option ${arg}`);
    else if (opts.model === null) opts.model = arg;
    else usage(`unexpected argument ${arg}`);
  }
  if (!opts.model) usage('no model given');
  return opts;
}

// --- .npy files (version 1-3, C order, little-endian numeric dtypes) ---

const NPY_TYPES = {
  '<f4': ['float32', Float32Array], '<f8': ['float64', Float64Array],
  '<i8': ['int64', BigInt64Array], '<i4': ['int32', Int32Array],
  '<i2': ['int16', Int16Array], '|i1': ['int8', Int8Array],
  '|u1': ['uint8', Uint8Array], '|b1': ['bool', Uint8Array],
  '<u2': ['uint16', Uint16Array], '<u4': ['uint32', Uint32Array],
  '<u8': ['uint64', BigUint64Array],
};

function readNpy(file) {
  const buf = fs.readFileSync(file);
  if (buf.length < 10 || buf.toString('latin1', 0, 6) !== '\x93NUMPY')
    throw new Error(`${file}: not a .npy file`);
  const major = buf[6];
  const headerLen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const header = buf.toString('latin1', start, start + headerLen);
  const descr = /'descr':\s*'([^']+)'/.exec(header);
  const order = /'fortran_order':\s*(True|False)/.exec(header);
  const shape = /'shape':\s*\(([^)]*)\)/.exec(header);
  if (!descr || !order || !shape) throw new Error(`${file}: bad .npy header`);
  if (order[1] === 'True') throw new Error(`${file}: Fortran order is not supported`);
  const type = NPY_TYPES[descr[1]];
  if (!type) throw new Error(`${file}: unsupported dtype ${descr[1]}`);
  const dims = shape[1].split(',').map((s) => s.trim()).filter((s) => s).map(Number);
  const count = dims.reduce((a, b) => a * b, 1);
  const offset = start + headerLen;
  const bytes = buf.subarray(offset, offset + count * type[1].BYTES_PER_ELEMENT);
  const data = new type[1](count);
  Buffer.from(data.buffer).set(bytes);
  return { type: type[0], data, dims };
}

function writeNpy(file, tensor) {
  const descr = { float32: '<f4', float64: '<f8', int64: '<i8', int32: '<i4',
                  uint8: '|u1', int8: '|i1', bool: '|b1' }[tensor.type];
  if (!descr) throw new Error(`cannot write ${tensor.type} as .npy`);
  const shape = tensor.dims.length === 1 ? `(${tensor.dims[0]},)` : `(${tensor.dims.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1; head[7] = 0;
  head.writeUInt16LE(header.length, 8);
  const data = tensor.data;
  fs.writeFileSync(file, Buffer.concat([head, Buffer.from(header, 'latin1'),
    Buffer.from(data.buffer, data.byteOffset, data.byteLength)]));
}

// --- inputs ---

function mulberry32(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomTensor(ort, meta, rng) {
  const dims = (meta.shape || []).map((d) => (typeof d === 'number' && d >= 0 ? d : 1));
  const count = dims.reduce((a, b) => a * b, 1);
  const type = meta.type || 'float32';
  if (type === 'float32') {
    const data = new Float32Array(count);
    for (let i = 0; i < count; ++i) data[i] = rng() * 2 - 1;
    return new ort.Tensor('float32', data, dims);
  }
  const arrays = { float64: Float64Array, int64: BigInt64Array, int32: Int32Array,
                   uint8: Uint8Array, int8: Int8Array, bool: Uint8Array };
  if (!arrays[type]) throw new Error(`cannot make random input of type ${type} for ${meta.name}`);
  return new ort.Tensor(type, new arrays[type](count), dims);
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  let ort;
  try {
    ort = require('onnxruntime-node');
  } catch (e) {
    console.error('error: onnxruntime-node is not installed; run: ' +
                  `npm install --prefix ${path.relative(process.cwd(), __dirname) || '.'} ` +
                  '--ignore-scripts onnxruntime-node');
    process.exit(1);
  }
  const session = await ort.InferenceSession.create(opts.model, {
    executionProviders: ['cpu'],
    intraOpNumThreads: opts.threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });

  const names = session.inputNames;
  const metadata = session.inputMetadata || [];
  const feeds = {};
  let position = 0;
  for (const spec of opts.inputs) {
    let name = null;
    let file = spec;
    const eq = spec.indexOf('=');
    if (eq > 0 && names.includes(spec.slice(0, eq))) {
      name = spec.slice(0, eq);
      file = spec.slice(eq + 1);
    }
    if (name === null) {
      while (position < names.length && feeds[names[position]]) ++position;
      if (position >= names.length) usage(`too many inputs (the model has ${names.length})`);
      name = names[position];
    }
    const t = readNpy(file);
    feeds[name] = new ort.Tensor(t.type, t.data, t.dims);
  }
  const rng = mulberry32(0);
  for (let i = 0; i < names.length; ++i) {
    if (feeds[names[i]]) continue;
    const meta = Array.isArray(metadata) ? metadata[i] : null;
    if (!meta || !meta.isTensor || !meta.shape)
      usage(`input '${names[i]}' is not given and its shape is unknown; use --input`);
    feeds[names[i]] = randomTensor(ort, { ...meta, name: names[i] }, rng);
  }

  let outputs;
  for (let i = 0; i < Math.max(1, opts.warmup); ++i) outputs = await session.run(feeds);
  if (opts.outputNpy) writeNpy(opts.outputNpy, outputs[session.outputNames[0]]);
  const times = [];
  for (let i = 0; i < opts.runs; ++i) {
    const start = process.hrtime.bigint();
    await session.run(feeds);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  const mid = times.length >> 1;
  const median = times.length % 2 ? times[mid] : (times[mid - 1] + times[mid]) / 2;
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  console.log(`onnxruntime ${ort.env.versions ? ort.env.versions.common || '' : ''}`.trim() +
              `: ${opts.runs} runs, intraOpNumThreads=${opts.threads}, interOpNumThreads=1`);
  console.log(`min: ${times[0].toFixed(3)} ms, mean: ${mean.toFixed(3)} ms`);
  console.log(`median: ${median.toFixed(3)} ms`);
}

main().catch((e) => {
  console.error(`error: ${e && e.message ? e.message : e}`);
  process.exit(1);
});
