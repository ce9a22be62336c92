import { execFile } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { REPO_ROOT } from './service-process.js'

// The Go program of test/e2e/gophercloud/, built offline against Debian's
// packaged sources: golang-go plus golang-github-gophercloud-gophercloud-dev
// (0.12, under /usr/share/gocode) in GOPATH mode, no module proxy. The binary
// and Go's build cache live under dist/gophercloud/ (gitignored): the first
// build compiles the standard library and gophercloud (~15-20 s here), later
// ones relink from the cache in well under a second, and Go itself notices a
// changed source file or an upgraded package.

const GO = '/usr/bin/go'
const GOPATH = '/usr/share/gocode'
const GOPHERCLOUD_SRC = join(GOPATH, 'src/github.com/gophercloud/gophercloud/openstack/loadbalancer/v2')
const SOURCE_DIR = join(REPO_ROOT, 'test/e2e/gophercloud')
const OUT_DIR = join(REPO_ROOT, 'dist/gophercloud')
const BINARY = join(OUT_DIR, 'gophercloud-scenario')

/** True when Debian's Go toolchain and gophercloud sources are installed (scripts/setup.sh as root). */
export const haveGophercloud = (): boolean => existsSync(GO) && existsSync(GOPHERCLOUD_SRC)

/** The built program: its path, and how long `go build` took. */
export interface GophercloudProgram {
  readonly path: string
  readonly buildMs: number
}

/** Go's environment for an offline GOPATH-mode build against Debian's sources. */
const goEnv = (): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root',
  GOPATH, GO111MODULE: 'off', GOFLAGS: '', GOPROXY: 'off', GOTOOLCHAIN: 'local',
  GOCACHE: join(OUT_DIR, 'go-build'), CGO_ENABLED: '0',
})

/** Builds the program (offline; incremental through the build cache). */
export async function buildGophercloudProgram(): Promise<GophercloudProgram> {
  mkdirSync(OUT_DIR, { recursive: true })
  const started = Date.now()
  await new Promise<void>((resolve, reject) => {
    execFile(GO, ['build', '-o', BINARY, '.'], { cwd: SOURCE_DIR, env: goEnv(), timeout: 300_000 }, (err, _stdout, stderr) => {
      if (err) reject(new Error(`go build of ${SOURCE_DIR} failed: ${err.message}\n${stderr}`))
      else resolve()
    })
  })
  return { path: BINARY, buildMs: Date.now() - started }
}

/** One run of the program: its exit code, the parsed JSON report (null if none) and stderr. */
export interface GophercloudRun {
  readonly code: number | null
  readonly report: any
  readonly stdout: string
  readonly stderr: string
}

/** Runs the program with exactly `env` (plus PATH), killed after `timeoutMs`. */
export function runGophercloudProgram(program: GophercloudProgram, env: Record<string, string>, timeoutMs = 120_000): Promise<GophercloudRun> {
  return new Promise(resolve => {
    execFile(program.path, [], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : null) : 0
        let report: any = null
        try { report = JSON.parse(stdout) } catch { /* no report: see stdout */ }
        resolve({ code, report, stdout, stderr })
      })
  })
}
