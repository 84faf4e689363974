import { ref, shallowRef, type Ref } from 'vue';

/** A value loaded from the API, with its loading state and the error that stopped it. */
export function useAsync<T>(load: () => Promise<T>): {
  data: Ref<T | undefined>; error: Ref<unknown>; loading: Ref<boolean>; reload: () => Promise<void>;
} {
  const data = shallowRef<T | undefined>();
  const error = shallowRef<unknown>(null);
  const loading = ref(true);
  async function reload(): Promise<void> {
    loading.value = true;
    error.value = null;
    try {
      data.value = await load();
    } catch (e) {
      error.value = e;
    } finally {
      loading.value = false;
    }
  }
  void reload();
  return { data, error, loading, reload };
}
