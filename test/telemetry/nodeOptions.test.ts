// The telemetry suites run twice: in the `legacy` project with Node's defaults, and in `as deployed` with the Node
// options a deployment has on this Node (on 22, AsyncLocalStorage on AsyncContextFrame), so that spans are shown to
// keep their context both ways.
import { expect, it } from 'vitest';
import { deployedNodeOptions } from '../../bench/deployedNodeOptions.js';

it('runs with the deployed Node options in the as deployed project, and with none of them elsewhere', ({ task }) => {
  const deployed = deployedNodeOptions();
  if (task.file.projectName === 'as deployed') expect(process.execArgv).toEqual(expect.arrayContaining(deployed));
  else expect(process.execArgv.filter((option) => deployed.includes(option))).toEqual([]);
});
