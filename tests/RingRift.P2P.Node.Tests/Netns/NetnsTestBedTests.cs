using System.Diagnostics;
using RingRift.P2P.Testing.Netns;
using RingRift.P2P.Testing.Processes;
using RingRift.P2P.Testing.Waiting;

namespace RingRift.P2P.Node.Tests.Netns;

/// <summary>
/// The test bed itself, without node processes: what it creates, that Dispose removes all of it (and
/// the processes inside), that the sweep removes a dead owner's leftovers and nothing of a live one,
/// and that a flapping link's rules come and go. Trait <c>Category=Netns</c>: needs root, ip and nft.
/// </summary>
[Collection(NetnsCollection.Name)]
[Trait("Category", NetnsTestBed.Category)]
public sealed class NetnsTestBedTests
{
    [Fact]
    public void Create_MakesHostsOnABridgeReachableFromTheRootNamespace_AndDisposeRemovesEverything()
    {
        var bed = NetnsTestBed.Create(3);
        NetnsProcess sleeper;
        try
        {
            Assert.Equal([bed.Names.BridgeNamespace, .. bed.Hosts.Select(h => h.Namespace)], Namespaces().Where(n => n.StartsWith(bed.Names.Prefix + "-", StringComparison.Ordinal)).Order());
            Assert.Equal(["10.213." + bed.Subnet.Third + ".1", "10.213." + bed.Subnet.Third + ".2", "10.213." + bed.Subnet.Third + ".3"], bed.Hosts.Select(h => h.Address));
            Assert.Contains($"inet {bed.ObserverAddress}/24", Ip("-o", "-4", "addr", "show", "dev", bed.Names.RootLink));
            foreach (var host in bed.Hosts)
            {
                var (code, addresses, error) = bed.Run(host, "ip", "-o", "-4", "addr", "show");
                Assert.True(code == 0, error);
                Assert.Contains($"lo    inet 127.0.0.1/8", addresses);
                Assert.Contains($"{NetnsHost.Interface}    inet {host.Address}/24", addresses);
                Assert.DoesNotContain("default", bed.Run(host, "ip", "route", "show").Out); // nothing routes beyond the subnet
            }

            // A host reaches the observer over the bridge: the root namespace refuses port 1 (an answer, not a timeout).
            var (refused, _, refusedError) = bed.Run(bed.Hosts[0], "bash", "-c", $"exec 3<>/dev/tcp/{bed.ObserverAddress}/1");
            Assert.Contains("Connection refused", refusedError); // an answer from the root namespace, not a timeout
            Assert.NotEqual(0, refused);
            sleeper = bed.Start(bed.Hosts[1], "sleep", ["600"], Path.Combine(Path.GetTempPath(), $"{bed.Names.Prefix}-sleep.log"));
            Assert.False(sleeper.HasExited);
        }
        finally
        {
            bed.Dispose();
        }

        Assert.True(sleeper.HasExited);
        Assert.DoesNotContain(Namespaces(), n => n.StartsWith(bed.Names.Prefix + "-", StringComparison.Ordinal));
        Assert.DoesNotContain(bed.Names.RootLink, NetnsSweep.RootLinkNames());
        Assert.DoesNotContain($" 10.213.{bed.Subnet.Third}.", Ip("-o", "-4", "addr", "show"));
    }

    [Fact]
    public async Task Sweep_RemovesTheNamespacesLinksAndProcessesOfADeadOwner_AndLeavesALiveOnesAlone()
    {
        var deadPid = await DeadPidAsync();
        var dead = new NetnsNames(deadPid, 1);
        var live = new NetnsNames(Environment.ProcessId, 999_999);
        try
        {
            Ip("netns", "add", dead.HostNamespace(1));
            Ip("link", "add", dead.RootLink, "type", "veth", "peer", "name", "eth0", "netns", dead.HostNamespace(1));
            Ip("netns", "add", live.HostNamespace(1));
            using var orphan = Process.Start("ip", ["netns", "exec", dead.HostNamespace(1), "sleep", "600"]);
            await Eventually.Until(() => Ip("netns", "pids", dead.HostNamespace(1)).Trim(), pids => pids == orphan.Id.ToString(), "the orphan inside the dead owner's namespace");

            var removed = NetnsSweep.Run();

            Assert.Contains(dead.HostNamespace(1), removed);
            Assert.DoesNotContain(dead.HostNamespace(1), Namespaces());
            Assert.DoesNotContain(dead.RootLink, NetnsSweep.RootLinkNames());
            Assert.True(orphan.WaitForExit(10_000), "the process inside the swept namespace still runs");
            Assert.Contains(live.HostNamespace(1), Namespaces());
            Assert.DoesNotContain(live.HostNamespace(1), removed);
        }
        finally
        {
            foreach (var ns in new[] { dead.HostNamespace(1), live.HostNamespace(1) }.Where(Namespaces().Contains))
            {
                Ip("netns", "delete", ns);
            }
        }
    }

    [Fact]
    public async Task Flap_CutsAndHealsTheLinkOnItsTimer_AndDisposeLeavesItHealed()
    {
        using var bed = NetnsTestBed.Create(2);
        var (a, b) = (bed.Hosts[0], bed.Hosts[1]);
        Assert.Equal("", bed.FaultRules(a));

        var flap = bed.Flap(a, b, TimeSpan.FromMilliseconds(300));
        await Eventually.Until(() => (bed.FaultRules(a), bed.FaultRules(b)), r => r.Item1.Contains($"ip daddr {b.Address} drop") && r.Item2.Contains($"ip daddr {a.Address} drop"), "the link cut both ways");
        await Eventually.Until(() => bed.FaultRules(a), rules => rules.Length == 0, "the link healed by the flap");
        await Eventually.Until(() => bed.FaultRules(a), rules => rules.Contains($"ip daddr {b.Address} drop"), "the link cut again");
        flap.Dispose();

        Assert.Null(flap.LastError);
        Assert.True(flap.Toggles >= 3, $"{flap.Toggles} toggles");
        Assert.Equal("", bed.FaultRules(a));
        Assert.Equal("", bed.FaultRules(b));
    }

    private static IReadOnlyList<string> Namespaces() => NetnsSweep.NamespaceNames();

    private static string Ip(params string[] args)
    {
        var (code, stdout, stderr) = ProcessRun.RunAsync(new ProcessStartInfo("ip", args), TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
        Assert.True(code == 0, $"ip {string.Join(' ', args)}: {stderr}");
        return stdout;
    }

    /// <summary>The pid of a process that has ended (a `true` just run and reaped), not running again.</summary>
    private static async Task<int> DeadPidAsync()
    {
        using var process = Process.Start("true");
        await process.WaitForExitAsync();
        Assert.False(Directory.Exists($"/proc/{process.Id}"));
        return process.Id;
    }
}
