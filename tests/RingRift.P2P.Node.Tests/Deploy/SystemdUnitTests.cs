using RingRift.P2P.Config;
using RingRift.P2P.Node.Cli;
using RingRift.P2P.Node.Hosting;

namespace RingRift.P2P.Node.Tests.Deploy;

/// <summary>
/// The choices deploy/systemd/ringrift-p2p.service makes, pinned against the code they depend on: the
/// node's graceful stop, the job runner's reattach design, its exit codes and data-dir setting, and the
/// GPUs (why each choice is what it is: comments in the unit, deploy/README.md).
/// </summary>
public sealed class SystemdUnitTests
{
    private const string Service = "Service";
    private static readonly SystemdUnitFile Unit = SystemdUnitFile.Load(SystemdUnitFile.RepoPath);

    [Fact]
    public void Stop_SignalsTheNodeAlone_SoItsJobsSurviveAndTheRestartedNodeReattaches()
    {
        // control-group or mixed would signal (mixed: SIGKILL) every job in the unit's cgroup with the node.
        Assert.Equal("process", Unit.Single(Service, "KillMode"));
        Assert.Equal("SIGTERM", Unit.Single(Service, "KillSignal"));
        // A job the kernel kills for memory is the runner's business, not a reason to stop the node.
        Assert.Equal("continue", Unit.Single(Service, "OOMPolicy"));
    }

    [Fact]
    public void TimeoutStopSec_IsTheHostsShutdownTimeoutPlusTenSecondsToCloseTheStores()
    {
        var stop = SystemdUnitFile.ParseTimeSpan(Unit.Single(Service, "TimeoutStopSec"));

        Assert.Equal(NodeHost.ShutdownTimeout + TimeSpan.FromSeconds(10), stop);
    }

    [Fact]
    public void TheDataDirectory_IsTheUnitsStateDirectory()
    {
        var state = Unit.Single(Service, "StateDirectory");

        Assert.Equal("ringrift-p2p", state);
        Assert.Contains($"{P2PEnvironmentVariables.DataDir}=%S/{state}", Unit.All(Service, "Environment"));
        Assert.Equal($"%S/{state}", Unit.Single(Service, "WorkingDirectory"));
    }

    [Fact]
    public void ItRuns_TheReleaseExecutable_AsTheNamedServiceUser_WithTheEnvironmentFile()
    {
        Assert.Equal("/usr/local/bin/ringrift-p2p run", Unit.Single(Service, "ExecStart"));
        Assert.Equal("/etc/ringrift-p2p/ringrift-p2p.env", Unit.Single(Service, "EnvironmentFile"));
        Assert.Equal("ringrift", Unit.Single(Service, "User"));
        Assert.Null(Unit.Get(Service, "DynamicUser")); // implies RemoveIPC= and NoNewPrivileges=: see the unit's comment
        Assert.NotNull(Unit.Get(Service, "LimitNOFILE"));
    }

    [Fact]
    public void AFailedNode_IsRestartedWithinThePeerTimeout_ButABadSettingIsNotRetried()
    {
        Assert.Equal("on-failure", Unit.Single(Service, "Restart"));
        Assert.Contains(CliApp.BadArguments.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Unit.Single(Service, "RestartPreventExitStatus").Split(' '));
        // Back before the leader requeues its jobs (it waits a peer timeout for a silent or departed node).
        Assert.True(SystemdUnitFile.ParseTimeSpan(Unit.Single(Service, "RestartSec")) < new P2PConfig().PeerTimeout / 2);
    }

    /// <summary>Settings that would take the GPUs (or what CUDA needs to open them) away from the node's jobs.</summary>
    public static TheoryData<string, string> GpuBlockers() => new()
    {
        { "PrivateDevices", "a private /dev without /dev/nvidia*" },
        { "DevicePolicy", "closed or strict: only the devices DeviceAllow= names" },
        { "DeviceAllow", "any entry makes the device list closed" },
        { "ProtectClock", "implies DeviceAllow=char-rtc" },
        { "DynamicUser", "implies NoNewPrivileges= and RemoveIPC=" },
        { "NoNewPrivileges", "stops the setuid nvidia-modprobe" },
        { "ProtectKernelTunables", "implies NoNewPrivileges= for a non-root service" },
        { "ProtectKernelModules", "implies NoNewPrivileges= and forbids loading nvidia-uvm" },
        { "ProtectKernelLogs", "implies NoNewPrivileges= for a non-root service" },
        { "ProtectHostname", "implies NoNewPrivileges= for a non-root service" },
        { "SystemCallFilter", "implies NoNewPrivileges= for a non-root service" },
        { "SystemCallArchitectures", "implies NoNewPrivileges= for a non-root service" },
        { "RestrictNamespaces", "implies NoNewPrivileges= for a non-root service" },
        { "RestrictSUIDSGID", "implies NoNewPrivileges= for a non-root service" },
        { "RestrictRealtime", "implies NoNewPrivileges= for a non-root service" },
        { "LockPersonality", "implies NoNewPrivileges= for a non-root service" },
        { "MemoryDenyWriteExecute", "breaks the JITs of .NET, PyTorch and Triton" },
        { "PrivateUsers", "hides the device nodes' owners and the setuid helper's root" },
        { "CapabilityBoundingSet", "an empty set strips the setuid nvidia-modprobe of what it needs" },
    };

    [Theory]
    [MemberData(nameof(GpuBlockers))]
    public void NoSettingBlocksTheGpus(string key, string why)
    {
        var value = Unit.Get(Service, key);

        Assert.True(value is null or "no" or "false" or "0", $"{key}={value}: {why}");
    }

    [Fact]
    public void SurvivingJobsKeepTheirTmpAndSharedMemory()
    {
        // Both are removed at every stop, while the jobs that use them keep running.
        Assert.Equal("no", Unit.Single(Service, "PrivateTmp"));
        Assert.Equal("no", Unit.Single(Service, "RemoveIPC"));
    }
}
