// app.bsky.actor.putPreferences / getPreferences round trip (stored by the PDS).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createAccount } from '../lib/client.mjs'

test('putPreferences then getPreferences returns the same preferences', async () => {
  const { agent } = await createAccount('prefs')
  const initial = await agent.app.bsky.actor.getPreferences()
  assert.ok(Array.isArray(initial.data.preferences), 'preferences array')
  const prefs = [
    { $type: 'app.bsky.actor.defs#adultContentPref', enabled: false },
    { $type: 'app.bsky.actor.defs#contentLabelPref', label: 'nsfw', visibility: 'hide' },
    {
      $type: 'app.bsky.actor.defs#savedFeedsPrefV2',
      items: [{ id: '3l6ovcmm2vd2j', type: 'timeline', value: 'following', pinned: true }],
    },
  ]
  await agent.app.bsky.actor.putPreferences({ preferences: prefs })
  const { data } = await agent.app.bsky.actor.getPreferences()
  const byType = (list) => [...list].sort((a, b) => a.$type.localeCompare(b.$type))
  assert.deepEqual(byType(data.preferences), byType(prefs))

  // A second put replaces the set.
  const next = [{ $type: 'app.bsky.actor.defs#adultContentPref', enabled: true }]
  await agent.app.bsky.actor.putPreferences({ preferences: next })
  const again = await agent.app.bsky.actor.getPreferences()
  assert.deepEqual(again.data.preferences, next)
})

test('preferences are per account', async () => {
  const a = await createAccount('prefa')
  const b = await createAccount('prefb')
  await a.agent.app.bsky.actor.putPreferences({ preferences: [{ $type: 'app.bsky.actor.defs#adultContentPref', enabled: true }] })
  const { data } = await b.agent.app.bsky.actor.getPreferences()
  assert.ok(!data.preferences.some((p) => p.$type === 'app.bsky.actor.defs#adultContentPref' && p.enabled === true))
})
