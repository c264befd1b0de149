// The renderer's React Compiler lint rules (eslint-plugin-react-hooks 7) are on: this proves they
// fire on a virtual renderer file, and that the one exception (the key guard) is the only one.
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

const cwd = new URL('../../..', import.meta.url).pathname;
const eslint = new ESLint({ cwd });

async function rulesFor(filePath: string, code: string): Promise<(string | null)[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((message) => message.ruleId);
}

const refDuringRender = `import { useRef } from 'react';
export function A({ n }: { n: number }) {
  const latest = useRef(n);
  latest.current = n;
  return null;
}
`;

const setStateInEffect = `import { useEffect, useState } from 'react';
export function A({ n }: { n: number }) {
  const [value, setValue] = useState(n);
  useEffect(() => {
    setValue(n);
  }, [n]);
  return value;
}
`;

const impureRender = `import { useState } from 'react';
export function useStamp() {
  const [shown] = useState(0);
  return shown + performance.now();
}
`;

describe('React Compiler lint rules in the renderer', () => {
  it('flag a ref written during render, setState in an effect, and an impure call during render', async () => {
    expect(await rulesFor('src/renderer/x.tsx', refDuringRender)).toEqual(['react-hooks/refs']);
    expect(await rulesFor('src/renderer/x.tsx', setStateInEffect)).toEqual(['react-hooks/set-state-in-effect']);
    expect(await rulesFor('src/renderer/x.tsx', impureRender)).toEqual(['react-hooks/purity']);
  });

  it('leave refs and purity off in the key guard only', async () => {
    const guard = `import { useRef } from 'react';
export function useShownAt(id: string) {
  const shown = useRef({ id, at: performance.now() });
  if (shown.current.id !== id) shown.current = { id, at: performance.now() };
  return shown.current.at;
}
`;
    expect(await rulesFor('src/renderer/lib/key-guard.ts', guard)).toEqual([]);
    expect(await rulesFor('src/renderer/lib/other.ts', guard)).toEqual(expect.arrayContaining(['react-hooks/refs']));
    expect(await rulesFor('src/renderer/lib/key-guard.ts', setStateInEffect)).toEqual([
      'react-hooks/set-state-in-effect',
    ]);
  });
});
