/**
 * The pure parts of offline editing: the count of changes waiting (kept in Web Storage across
 * reloads), the cached room details, and the service worker's rules (what it keeps, what it never
 * touches, how it answers each request).
 */
import { describe, expect, it } from 'vitest'
import {
  addUnsynced,
  clearUnsynced,
  MAX_UNSYNCED,
  readUnsynced,
  unsyncedKey,
  type CounterStorage,
} from '../../client/sync/unsyncedCounter.ts'
import { loadRoomInfo, roomInfoKey, saveRoomInfo } from '../../client/offline/roomInfoCache.ts'
import { fetchStrategy, isStaleShellCache, precacheFiles, shellCacheName } from '../../client/offline/shellCache.ts'

/** Web Storage as the browser keeps it: strings by key. */
class MemoryStorage implements CounterStorage {
  readonly items = new Map<string, string>()
  getItem(key: string): string | null {
    return this.items.get(key) ?? null
  }
  setItem(key: string, value: string): void {
    this.items.set(key, String(value))
  }
  removeItem(key: string): void {
    this.items.delete(key)
  }
}

/** Storage that refuses everything, like Safari's private mode of old or a full quota. */
const brokenStorage: CounterStorage = {
  getItem: () => {
    throw new Error('SecurityError')
  },
  setItem: () => {
    throw new Error('QuotaExceededError')
  },
  removeItem: () => {
    throw new Error('SecurityError')
  },
}

const ROOM = 'cWGTcrxJIwFAlZoQvVLZbba5DLU'
const OTHER_ROOM = 'Zz9PLk2hTq8mWx3vBn5cYr7d'

describe('the unsynced-change counter', () => {
  it('counts up per room and is still there for the next page (a reload reads it back)', () => {
    const storage = new MemoryStorage()
    expect(readUnsynced(storage, ROOM)).toBe(0)
    expect(addUnsynced(storage, ROOM)).toBe(1)
    expect(addUnsynced(storage, ROOM)).toBe(2)
    expect(addUnsynced(storage, ROOM, 3)).toBe(5)
    expect(addUnsynced(storage, OTHER_ROOM)).toBe(1)
    // What a reloaded page reads: the same storage, nothing held in memory.
    expect(readUnsynced(storage, ROOM)).toBe(5)
    expect(readUnsynced(storage, OTHER_ROOM)).toBe(1)
    expect(storage.getItem(unsyncedKey(ROOM))).toBe('5')
  })

  it('adds to what another tab of the same workshop stored, rather than overwriting it', () => {
    const storage = new MemoryStorage()
    addUnsynced(storage, ROOM) // tab A
    addUnsynced(storage, ROOM) // tab B
    expect(addUnsynced(storage, ROOM)).toBe(3) // tab A again
  })

  it('is cleared once the server has everything, for that room only', () => {
    const storage = new MemoryStorage()
    addUnsynced(storage, ROOM, 4)
    addUnsynced(storage, OTHER_ROOM, 2)
    clearUnsynced(storage, ROOM)
    expect(readUnsynced(storage, ROOM)).toBe(0)
    expect(storage.items.has(unsyncedKey(ROOM))).toBe(false)
    expect(readUnsynced(storage, OTHER_ROOM)).toBe(2)
  })

  it('reads anything that is not a count as none, and caps a huge one', () => {
    const storage = new MemoryStorage()
    for (const junk of ['', '-3', '2.5', 'NaN', 'lots', '1e3', ' 4', '0x10']) {
      storage.setItem(unsyncedKey(ROOM), junk)
      expect(readUnsynced(storage, ROOM), junk).toBe(0)
    }
    storage.setItem(unsyncedKey(ROOM), '9999999')
    expect(readUnsynced(storage, ROOM)).toBe(MAX_UNSYNCED)
    expect(addUnsynced(storage, ROOM)).toBe(MAX_UNSYNCED)
    // A negative or fractional step never lowers the count.
    storage.setItem(unsyncedKey(ROOM), '7')
    expect(addUnsynced(storage, ROOM, -5)).toBe(7)
    expect(addUnsynced(storage, ROOM, 1.9)).toBe(8)
  })

  it('keeps working when storage refuses: the count is just not kept', () => {
    expect(readUnsynced(brokenStorage, ROOM)).toBe(0)
    expect(addUnsynced(brokenStorage, ROOM)).toBe(1)
    expect(() => clearUnsynced(brokenStorage, ROOM)).not.toThrow()
  })
})

describe('the cached room details', () => {
  const info = {
    roomId: ROOM,
    title: 'Kent: pot review',
    createdAt: 1_790_000_000_000,
    role: 'facilitator' as const,
    organisation: 'Kent County Council',
    linkName: null,
    links: {
      facilitator: 'http://x/r/a?token=f',
      participant: 'http://x/r/a?token=p',
      observer: 'http://x/r/a?token=o',
    },
  }

  it('gives back what was saved, without the invite links', () => {
    const storage = new MemoryStorage()
    saveRoomInfo(storage, info)
    expect(storage.getItem(roomInfoKey(ROOM))).not.toContain('token=')
    expect(loadRoomInfo(storage, ROOM)).toEqual({
      roomId: ROOM,
      title: 'Kent: pot review',
      createdAt: 1_790_000_000_000,
      role: 'facilitator',
      organisation: 'Kent County Council',
      linkName: null,
    })
    expect(loadRoomInfo(storage, OTHER_ROOM)).toBeNull()
    // Saved before links were bound to organisations: read as a general link.
    storage.setItem(
      roomInfoKey(ROOM),
      JSON.stringify({ roomId: ROOM, title: 'Kent', createdAt: 1, role: 'participant' }),
    )
    expect(loadRoomInfo(storage, ROOM)).toMatchObject({ role: 'participant', organisation: null, linkName: null })
  })

  it('refuses stored values that are not room details, or are another room’s', () => {
    const storage = new MemoryStorage()
    storage.setItem(roomInfoKey(ROOM), '{not json')
    expect(loadRoomInfo(storage, ROOM)).toBeNull()
    storage.setItem(roomInfoKey(ROOM), JSON.stringify({ ...info, role: 'owner' }))
    expect(loadRoomInfo(storage, ROOM)).toBeNull()
    storage.setItem(roomInfoKey(ROOM), JSON.stringify({ ...info, roomId: OTHER_ROOM }))
    expect(loadRoomInfo(storage, ROOM)).toBeNull()
    // Links stored by hand are not handed out either.
    storage.setItem(roomInfoKey(ROOM), JSON.stringify(info))
    expect(loadRoomInfo(storage, ROOM)).not.toHaveProperty('links')
    expect(loadRoomInfo(brokenStorage, ROOM)).toBeNull()
  })
})

describe('the service worker’s rules', () => {
  const origin = 'https://commonpot.example'
  const get = (path: string, mode = 'cors') => ({ url: origin + path, method: 'GET', mode })

  it('never answers the API, the sync socket, health or metrics, nor other sites or writes', () => {
    for (const path of [
      '/api/rooms/abc',
      '/api/rooms/abc/export?format=csv&token=t',
      '/api',
      '/sync/abc?token=t',
      '/healthz',
      '/metrics',
    ]) {
      expect(fetchStrategy(get(path), origin), path).toBe('pass')
      expect(fetchStrategy(get(path, 'navigate'), origin), path).toBe('pass')
    }
    expect(fetchStrategy({ url: `${origin}/r/abcdefghijklmnop`, method: 'POST', mode: 'navigate' }, origin)).toBe(
      'pass',
    )
    expect(fetchStrategy({ url: 'https://cdn.example/assets/x.js', method: 'GET', mode: 'cors' }, origin)).toBe('pass')
    expect(fetchStrategy({ url: 'not a url', method: 'GET', mode: 'cors' }, origin)).toBe('pass')
  })

  it('serves pages network first and built files from the cache', () => {
    expect(fetchStrategy(get('/r/cWGTcrxJIwFAlZoQvVLZbba5DLU?token=t', 'navigate'), origin)).toBe('page')
    expect(fetchStrategy(get('/', 'navigate'), origin)).toBe('page')
    expect(fetchStrategy(get('/assets/index-BRJ258TK.js'), origin)).toBe('asset')
    expect(fetchStrategy(get('/assets/ml-CYbF5wgo.json'), origin)).toBe('asset')
    // Paths that only look like the live ones are the app's.
    expect(fetchStrategy(get('/apiary', 'navigate'), origin)).toBe('page')
    expect(fetchStrategy(get('/sw.js'), origin)).toBe('pass')
  })

  it('keeps the page and every built file except the translations, and one cache per build', () => {
    const files = precacheFiles([
      'index.html',
      'sw.js',
      'assets/index-B.js',
      'assets/Board-A.js',
      'assets/fr-X.json',
      'assets/IBMPlexSans-Bold-C.woff2',
      'assets/0_merged-D.svg',
    ])
    expect(files).toEqual([
      '/index.html',
      '/assets/0_merged-D.svg',
      '/assets/Board-A.js',
      '/assets/IBMPlexSans-Bold-C.woff2',
      '/assets/index-B.js',
    ])
    expect(isStaleShellCache(shellCacheName('old'), 'new')).toBe(true)
    expect(isStaleShellCache(shellCacheName('new'), 'new')).toBe(false)
    expect(isStaleShellCache('someone-elses-cache', 'new')).toBe(false)
  })
})
