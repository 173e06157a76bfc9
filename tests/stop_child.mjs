// For the node test harnesses (tests/conformance, tests/console): stops a `hookgate serve`
// they started. SIGTERM; at once if it already exited. A server still running 30 s later is
// killed and the caller's test fails: a graceful stop that hangs is a bug, not something to
// wait out (and its pipes would keep the test file's process alive for good).
export async function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.on('exit', resolve));
  child.kill('SIGTERM');
  let hung = false;
  const timer = setTimeout(() => { hung = true; child.kill('SIGKILL'); }, 30000);
  await exited;
  clearTimeout(timer);
  if (hung) throw new Error('hookgate did not stop within 30 s of SIGTERM');
}
