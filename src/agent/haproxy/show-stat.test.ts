import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { AmphoraStats } from '../../amphora-api/agent-api.js'
import { addStatRows, memberStatus, parseShowStat, splitCsvLine } from './show-stat.js'

const L = 'aaaaaaaa-0000-4000-8000-000000000001'
const P = `bbbbbbbb-0000-4000-8000-000000000001:${L}`
const CSV = `# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,check_desc
${L},FRONTEND,,,3,5,100,42,1000,2000,0,0,1,,,,,OPEN,,
${P},m1,0,0,1,1,,20,0,0,,0,,0,0,0,0,UP,1,
${P},m2,0,0,0,0,,0,0,0,,0,,0,0,0,0,DOWN 1/2,1,"Layer4 timeout, again"
${P},m3,0,0,0,0,,0,0,0,,0,,0,0,0,0,no check,1,
${P},m4,0,0,0,0,,0,0,0,,0,,0,0,0,0,MAINT (via x/y),1,
${P},m5,0,0,0,0,,0,0,0,,0,,0,0,0,0,UP,0,
${P},BACKEND,0,0,1,1,10,20,0,0,0,0,,0,0,0,0,UP,4,
prometheus-exporter,FRONTEND,,,0,0,10,0,0,0,0,0,0,,,,,OPEN,,
`

describe('show stat', () => {
  it('when a field is quoted, then its commas stay inside it', () => {
    assert.deepEqual(splitCsvLine('a,"b,c",d,"e ""q"""'), ['a', 'b,c', 'd', 'e "q"'])
  })

  it('when rows are added, then listeners, pools and member states take the heartbeat shape', () => {
    const out: { listeners: Record<string, AmphoraStats['listeners'][string]>; pools: Record<string, AmphoraStats['pools'][string]> } = { listeners: {}, pools: {} }
    addStatRows(parseShowStat(CSV), out)
    assert.deepEqual(out.listeners, { [L]: { status: 'OPEN', stats: { tx: 2000, rx: 1000, conns: 3, totconns: 42, ereq: 1 } } })
    assert.deepEqual(out.pools, { [P]: { status: 'UP', members: { m1: 'UP', m2: 'DOWN', m3: 'no check', m4: 'MAINT', m5: 'DRAIN' } } })
  })

  it('when HAProxy reports transitional or special states, then they map to the five member states', () => {
    assert.equal(memberStatus('UP 1/3', '1'), 'UP')
    assert.equal(memberStatus('DOWN 1/2', '1'), 'DOWN')
    assert.equal(memberStatus('DRAIN', '0'), 'DRAIN')
    assert.equal(memberStatus('NOLB', '1'), 'DRAIN')
    assert.equal(memberStatus('MAINT (resolution)', '1'), 'MAINT')
    assert.equal(memberStatus('no check', '0'), 'no check')
  })

  it('when the answer has no header, then parsing throws', () => {
    assert.throws(() => parseShowStat('Permission denied\n'), /unexpected/)
  })
})
