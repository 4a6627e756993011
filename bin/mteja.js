#!/usr/bin/env node
// The `mteja` command: runs the compiled CLI (npm install builds it through `prepare`).
import '../dist/src/main.js';
