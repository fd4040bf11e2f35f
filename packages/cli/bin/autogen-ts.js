#!/usr/bin/env node
// The installed command. It lives outside dist/ so that npm can link it at install time, before the
// package is built (a fresh clone runs `npm ci`, whose prepare step builds dist/ afterwards).
import "../dist/bin.js";
