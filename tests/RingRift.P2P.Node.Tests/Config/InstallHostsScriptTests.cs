using System.Diagnostics;
using RingRift.P2P.Node.Cli;
using RingRift.P2P.Testing.Processes;

namespace RingRift.P2P.Node.Tests.Config;

/// <summary>
/// deploy/install-hosts.sh against the seed's example inventory. It never reaches a host: <c>ssh</c> and
/// <c>scp</c> on its PATH are stand-ins that record their arguments (and, in the tests that say so,
/// fail at a given step), so the dry run is shown to run nothing and the staged rollout to stop at the
/// first failing host.
/// </summary>
public sealed class InstallHostsScriptTests : IDisposable
{
    private static readonly string[] ActiveHosts = ["hetzner-cpu1", "hetzner-cpu2", "lambda-gh200-1", "vast-4090-7"];

    private readonly ConfigFiles _files = new();
    private readonly string _log;

    public InstallHostsScriptTests()
    {
        _log = Path.Combine(_files.Dir, "ssh.log");
        Directory.CreateDirectory(Path.Combine(_files.Dir, "artifacts"));
        _files.Write("artifacts/ringrift-p2p-linux-x64", "x64 executable");
        _files.Write("artifacts/ringrift-p2p-linux-arm64", "arm64 executable");
        _files.Write("ringrift-p2p.service", """
            [Service]
            User=ringrift
            EnvironmentFile=-/etc/ringrift-p2p/ringrift-p2p.env
            ExecStart=/usr/local/bin/ringrift-p2p run
            """);
        _files.Write("cluster.env", "RINGRIFT_CLUSTER_AUTH_TOKEN_FILE=/etc/ringrift-p2p/token\nRINGRIFT_P2P_PORT=8790\n");
        Directory.CreateDirectory(Path.Combine(_files.Dir, "fakebin"));
        // Stand-ins: record the call (and a script sent on stdin); fail when the call or its script holds $FAIL_ON.
        foreach (var tool in new[] { "ssh", "scp" })
        {
            var path = _files.Write($"fakebin/{tool}", $$"""
                #!/usr/bin/env bash
                input=""
                if [[ "$*" == *"bash -s"* ]]; then input=$(cat); fi
                printf '%s %s\n' "{{tool}}" "$*" >> "$FAKE_LOG"
                [[ -z "$input" ]] || printf '%s\n' "$input" | sed 's/^/    | /' >> "$FAKE_LOG"
                if [[ -n "${FAIL_ON:-}" && "$* $input" == *"$FAIL_ON"* ]]; then exit 7; fi
                exit 0
                """);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    public void Dispose() => _files.Dispose();

    private async Task<(int Code, string Out, string Err)> RunScript(string? failOn, params string[] args)
    {
        var cliDll = typeof(CliApp).Assembly.Location;
        var apphost = Path.ChangeExtension(cliDll, null);
        var info = new ProcessStartInfo("bash");
        info.ArgumentList.Add(RepoFiles.Path("deploy", "install-hosts.sh"));
        foreach (var a in new[] { "--artifacts", Path.Combine(_files.Dir, "artifacts"), "--unit", Path.Combine(_files.Dir, "ringrift-p2p.service"),
            "--cli", File.Exists(apphost) ? apphost : cliDll })
        {
            info.ArgumentList.Add(a);
        }
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["PATH"] = Path.Combine(_files.Dir, "fakebin") + ":" + Environment.GetEnvironmentVariable("PATH");
        info.Environment["FAKE_LOG"] = _log;
        info.Environment["DOTNET_NOLOGO"] = "1";
        if (failOn is not null) info.Environment["FAIL_ON"] = failOn;
        return await ProcessRun.RunAsync(info, TimeSpan.FromMinutes(2));
    }

    private string[] Logged() => File.Exists(_log) ? File.ReadAllLines(_log) : [];

    /// <summary>The lines of one host's part of the dry run: from its "install-hosts: ID (" line to the next host's.</summary>
    private static string Block(string output, string id)
    {
        var start = output.IndexOf($"install-hosts: {id} (", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no part for {id} in:\n{output}");
        var next = output.IndexOf("\ninstall-hosts: ", start + 1, StringComparison.Ordinal);
        return next < 0 ? output[start..] : output[start..next];
    }

    [Fact]
    public async Task DryRun_PrintsEveryActiveHostsCommands_InFileOrder_AndRunsNoSshOrScp()
    {
        var (code, output, error) = await RunScript(null, "--dry-run", "--hosts", ConfigFiles.ExampleHosts, "--env-file", Path.Combine(_files.Dir, "cluster.env"));

        Assert.True(code == 0, error);
        Assert.Empty(Logged());
        Assert.Contains("install-hosts: skipping local-dev (not active: status offline)", output);
        var order = ActiveHosts.Select(id => output.IndexOf($"install-hosts: {id} (", StringComparison.Ordinal)).ToArray();
        Assert.All(order, at => Assert.True(at >= 0));
        Assert.Equal(order.Order(), order);
        Assert.EndsWith("install-hosts: dry run, nothing ran on any host; would install on: hetzner-cpu1 hetzner-cpu2 lambda-gh200-1 vast-4090-7\n", output);
    }

    [Fact]
    public async Task DryRun_CopiesThenChecksOnTheHost_BeforeRestarting_ThenWaitsForTheNode()
    {
        var (code, output, error) = await RunScript(null, "--dry-run", "--hosts", ConfigFiles.ExampleHosts, "--env-file", Path.Combine(_files.Dir, "cluster.env"));

        Assert.True(code == 0, error);
        foreach (var (id, target) in new[] { ("hetzner-cpu1", "root@203.0.113.10"), ("lambda-gh200-1", "ubuntu@198.51.100.21") })
        {
            var block = Block(output, id);
            var sudo = target.StartsWith("root@", StringComparison.Ordinal) ? "" : "sudo -n ";
            var steps = new[]
            {
                $"+ ssh -o BatchMode=yes {target} mkdir\\ -p\\ -m\\ 700\\ .ringrift-p2p-install",
                "+ scp -o BatchMode=yes -q ",
                $"{id}/ringrift-p2p ",
                $"{id}/ringrift-p2p.env {target}:.ringrift-p2p-install/",
                $"+ ssh -o BatchMode=yes {target} bash\\ -s <<'REMOTE'",
                $"{sudo}install -m 0755 ringrift-p2p /usr/local/bin/ringrift-p2p.new",
                $"{sudo}install -m 0600 ringrift-p2p.env /etc/ringrift-p2p/ringrift-p2p.env.new",
                $"if ! {sudo}/usr/local/bin/ringrift-p2p.new config check --env-file /etc/ringrift-p2p/ringrift-p2p.env.new --hosts /etc/ringrift-p2p/distributed_hosts.yaml.new; then",
                $"{sudo}mv -f /usr/local/bin/ringrift-p2p.new /usr/local/bin/ringrift-p2p",
                // The unit's User= is created where it is missing (the service would not start: 217/USER).
                $"id -u ringrift >/dev/null 2>&1 || {sudo}useradd --system --home-dir /var/lib/ringrift-p2p --shell /usr/sbin/nologin ringrift",
                $"{sudo}install -m 0644 ringrift-p2p.service /etc/systemd/system/ringrift-p2p.service",
                $"{sudo}systemctl restart ringrift-p2p.service",
                // The env file's port, on loopback, before the next host.
                "/usr/local/bin/ringrift-p2p status --url http://127.0.0.1:8790 --json",
            };
            var at = 0;
            foreach (var step in steps)
            {
                var found = block.IndexOf(step, at, StringComparison.Ordinal);
                Assert.True(found >= 0, $"{id}: '{step}' missing or out of order in:\n{block}");
                at = found + step.Length;
            }
        }
    }

    [Fact]
    public async Task EachHostGetsTheExecutableOfItsArch_FromTheInventory_ElseTheArchFlag()
    {
        var hosts = _files.Write("hosts.yaml", File.ReadAllText(ConfigFiles.ExampleHosts)
            .Replace("    gpu: \"GH200 (96 GB)\"", "    gpu: \"GH200 (96 GB)\"\n    arch: aarch64", StringComparison.Ordinal));

        var (code, output, error) = await RunScript(null, "--dry-run", "--hosts", hosts, "--only", "hetzner-cpu1,lambda-gh200-1", "--wait", "0");

        Assert.True(code == 0, error);
        var artifacts = Path.Combine(_files.Dir, "artifacts");
        Assert.Contains($"install-hosts: hetzner-cpu1 (root@203.0.113.10, x64): {artifacts}/ringrift-p2p-linux-x64", output);
        Assert.Contains($"install-hosts: lambda-gh200-1 (ubuntu@198.51.100.21, arm64): {artifacts}/ringrift-p2p-linux-arm64", output);
        Assert.DoesNotContain("hetzner-cpu2", output);
        Assert.DoesNotContain(" status --url ", output);
    }

    [Fact]
    public async Task TheRollout_StopsAtTheFirstHostWhoseCheckFails_AndTouchesNoLaterHost()
    {
        // The stand-in ssh fails the install step (the one that runs config check) of the second host only.
        var (code, output, error) = await RunScript("config check failed on hetzner-cpu2", "--hosts", ConfigFiles.ExampleHosts, "--wait", "0");

        Assert.Equal(1, code);
        Assert.Contains("install-hosts: hetzner-cpu2 failed while checking and installing (exit 7); stopping.", error);
        Assert.Contains("install-hosts: done: hetzner-cpu1; not started: lambda-gh200-1 vast-4090-7", error);
        Assert.DoesNotContain("lambda-gh200-1", output);
        var calls = Logged().Where(l => !l.StartsWith("    |", StringComparison.Ordinal)).ToArray();
        Assert.Equal(6, calls.Length); // mkdir, scp, install for each of the two hosts
        Assert.All(calls[..3], c => Assert.Contains("root@203.0.113.10", c));
        Assert.All(calls[3..], c => Assert.Contains("root@203.0.113.11", c));
        Assert.DoesNotContain(Logged(), l => l.Contains("198.51.100", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ABadInventory_StopsBeforeAnyHost()
    {
        var hosts = _files.Write("bad.yaml", "hosts:\n  a:\n    ssh_host: root@10.0.0.1\n    p2p_port: nope\n");

        var (code, _, error) = await RunScript(null, "--hosts", hosts);

        Assert.Equal(2, code);
        Assert.Contains($"error: {hosts} line 4: key 'hosts.a.p2p_port': expected an integer from 1 to 65535, got 'nope'", error);
        Assert.Contains("has errors (listed above); nothing was installed", error);
        Assert.Empty(Logged());
    }

    [Fact]
    public async Task AMissingExecutable_IsNamed_BeforeAnyCopy()
    {
        File.Delete(Path.Combine(_files.Dir, "artifacts", "ringrift-p2p-linux-arm64"));

        var (code, _, error) = await RunScript(null, "--hosts", ConfigFiles.ExampleHosts, "--arch", "arm64");

        Assert.Equal(2, code);
        Assert.Contains("hetzner-cpu1 needs", error);
        Assert.Contains("ringrift-p2p-linux-arm64 (arch arm64), which does not exist", error);
        Assert.Empty(Logged());
    }
}
