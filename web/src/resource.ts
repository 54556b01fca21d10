// One API answer a page shows, fetched on mount and again when a live change concerns it. A refetch
// keeps the previous answer on screen until the new one arrives (no flicker, no lost input).
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { apiGet, ApiFailure } from './api';
import { useLiveRefresh } from './live';

export interface Resource<T> {
  data: T | undefined;
  error: ApiFailure | undefined;
  loading: boolean;
  reload: () => void;
}

export function useResource<T>(path: string | null, concerns: (objectKey: string) => boolean): Resource<T> {
  const [state, setState] = useState<{ data?: T; error?: ApiFailure; loading: boolean; path: string | null }>({
    loading: true,
    path,
  });
  const inFlight = useRef(false);
  const again = useRef(false);

  const load = useCallback(async () => {
    if (!path) return;
    if (inFlight.current) {
      again.current = true;
      return;
    }
    inFlight.current = true;
    try {
      const data = await apiGet<T>(path);
      setState({ data, loading: false, path });
    } catch (error) {
      const failure = error instanceof ApiFailure ? error : new ApiFailure(0, 'network', String(error));
      setState((s) => ({ data: s.path === path ? s.data : undefined, error: failure, loading: false, path }));
    } finally {
      inFlight.current = false;
      if (again.current) {
        again.current = false;
        void load();
      }
    }
  }, [path]);

  useEffect(() => {
    setState((s) => (s.path === path ? s : { loading: true, path }));
    void load();
  }, [load]);
  useLiveRefresh(concerns, () => void load());

  const current = state.path === path;
  return {
    data: current ? state.data : undefined,
    error: current ? state.error : undefined,
    loading: !current || state.loading,
    reload: () => void load(),
  };
}
