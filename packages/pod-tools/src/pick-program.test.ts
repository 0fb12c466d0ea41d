import { describe, expect, test } from 'vitest';
import { pickProgram } from './pick-program.ts';

describe('pickProgram', () => {
  test.each([
    [
      '/scrapegrid/bin/drain-hook',
      ['--deadline-seconds', '5'],
      { kind: 'program', program: 'drain-hook', args: ['--deadline-seconds', '5'] },
    ],
    [
      'sidecar-reaper',
      ['--', 'sleep', '1'],
      { kind: 'program', program: 'sidecar-reaper', args: ['--', 'sleep', '1'] },
    ],
    [
      '/scrapegrid/bin/pod-tools',
      ['sidecar-reaper', '--help'],
      { kind: 'program', program: 'sidecar-reaper', args: ['--help'] },
    ],
    ['/usr/local/bin/pod-tools', ['drain-hook'], { kind: 'program', program: 'drain-hook', args: [] }],
    [
      '/usr/local/bin/pod-tools',
      ['install', '/scrapegrid/bin'],
      { kind: 'install', args: ['/scrapegrid/bin'] },
    ],
    ['/scrapegrid/bin/drain-hook', ['install', '/x'], { kind: 'install', args: ['/x'] }],
    ['pod-tools', ['sidecar-reaper', 'install', '/x'], { kind: 'install', args: ['/x'] }],
    ['pod-tools', [], { kind: 'help' }],
    ['pod-tools', ['--help'], { kind: 'help' }],
    ['pod-tools', ['-h'], { kind: 'help' }],
    ['pod-tools', ['reaper'], { kind: 'unknown', command: 'reaper' }],
    // Under a program's name, an argument that names the other program is that program's argument.
    [
      '/scrapegrid/bin/sidecar-reaper',
      ['--', 'drain-hook'],
      { kind: 'program', program: 'sidecar-reaper', args: ['--', 'drain-hook'] },
    ],
  ])('%s %j', (argv0, args, picked) => {
    expect(pickProgram(argv0, args)).toEqual(picked);
  });
});
