using S = RingRift.P2P.Config.P2PSettings;
using V = RingRift.P2P.Config.P2PEnvironmentVariables;

namespace RingRift.P2P.Config;

public sealed partial record P2PConfig
{
    private static readonly Lock CurrentLock = new();
    private static P2PConfig? CurrentValue;

    /// <summary>
    /// The process-wide configuration, read from the process environment on first use (the seed's
    /// <c>get_p2p_config()</c>). A failed read is not cached: the next call tries again.
    /// </summary>
    /// <exception cref="P2PConfigException">A variable holds a bad value.</exception>
    public static P2PConfig Current
    {
        get
        {
            var config = Volatile.Read(ref CurrentValue);
            if (config is not null) return config;
            lock (CurrentLock)
            {
                return CurrentValue ??= FromEnvironment();
            }
        }
    }

    /// <summary>Forgets <see cref="Current"/> so the next read builds it again (tests only).</summary>
    internal static void ResetCurrent()
    {
        lock (CurrentLock)
        {
            CurrentValue = null;
        }
    }

    /// <summary>
    /// Builds and validates a configuration from <paramref name="env"/>, or from the process
    /// environment when it is null. Unset, empty and whitespace-only variables keep the default.
    /// Durations are seconds (decimals allowed, invariant culture).
    /// </summary>
    /// <exception cref="P2PConfigException">A variable holds a bad value; the message names it, the value and what is allowed.</exception>
    public static P2PConfig FromEnvironment(IReadOnlyDictionary<string, string?>? env = null)
    {
        var reader = new EnvironmentReader(env);
        var defaults = new P2PConfig();
        var loadMax = S.LoadMaxForNewJobs.Read(reader);
        return new P2PConfig
        {
            DefaultPort = S.Port.Read(reader) ?? defaults.DefaultPort,
            HeartbeatInterval = S.HeartbeatInterval.Read(reader) ?? defaults.HeartbeatInterval,
            PeerTimeout = S.PeerTimeout.Read(reader) ?? defaults.PeerTimeout,
            LeaderLeaseDuration = S.LeaderLease.Read(reader) ?? defaults.LeaderLeaseDuration,
            LoadMaxForNewJobs = loadMax?.Fraction ?? defaults.LoadMaxForNewJobs,
            LoadMaxForNewJobsFromPercent = loadMax?.FromPercent ?? false,
            JobCheckInterval = S.JobCheckInterval.Read(reader) ?? defaults.JobCheckInterval,
            SwimEnabled = S.SwimEnabled.Read(reader) ?? defaults.SwimEnabled,
            RaftEnabled = S.RaftEnabled.Read(reader) ?? defaults.RaftEnabled,
            MembershipMode = S.MembershipMode.Read(reader) ?? defaults.MembershipMode,
            ConsensusMode = S.ConsensusMode.Read(reader) ?? defaults.ConsensusMode,
            SwimBindPort = S.SwimBindPort.Read(reader) ?? defaults.SwimBindPort,
            SwimSeeds = ReadList(reader, V.SwimSeeds, S.SwimSeedsAllowed),
            RaftBindPort = S.RaftBindPort.Read(reader) ?? defaults.RaftBindPort,
            RaftPeers = ReadList(reader, V.RaftPeers, S.RaftPeersAllowed),
            RaftElectionTimeoutMs = S.RaftElectionTimeout.Read(reader) ?? defaults.RaftElectionTimeoutMs,
            RaftWarmUp = S.RaftWarmUp.Read(reader) ?? defaults.RaftWarmUp,
            AuthToken = ReadAuthToken(reader),
            NodeId = S.NodeId.Read(reader),
            Voters = ReadVoters(reader),
            Peers = ReadPeers(reader),
            HostsFile = S.HostsFile.Read(reader),
            DataDir = S.DataDir.Read(reader),
            BindHost = S.BindHost.Read(reader) ?? defaults.BindHost,
            AdvertiseAddress = S.AdvertiseAddress.Read(reader),
            MaxRequestBodyBytes = S.MaxRequestBodyBytes.Read(reader) ?? defaults.MaxRequestBodyBytes,
            WorkRequireFencing = S.WorkRequireFencing.Read(reader) ?? defaults.WorkRequireFencing,
        }.Validate();
    }

    /// <summary>
    /// Splits <c>host:port</c> into its parts. IPv6 hosts are written in brackets
    /// (<c>[::1]:8770</c>) and returned without them (<c>::1</c>).
    /// </summary>
    /// <exception cref="FormatException">The text is not host:port with a port from 1 to 65535; the message says what is wrong.</exception>
    public static (string Host, int Port) ParsePeerAddress(string address)
    {
        if (!PeerAddress.TryParse(address, out var host, out var port, out var reason))
            throw new FormatException($"peer address '{address}' {reason}: expected host:port with a port from 1 to 65535 (IPv6 as [::1]:8770)");
        return (host, port);
    }

    private static string? ReadAuthToken(EnvironmentReader reader)
    {
        var token = reader.Get(V.AuthToken);
        var path = reader.Get(V.AuthTokenFile);
        if (path is null) return token;
        if (token is not null)
            throw new P2PConfigException(V.AuthTokenFile, path, $"set either {V.AuthToken} or {V.AuthTokenFile}, not both");

        string content;
        try
        {
            content = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new P2PConfigException(V.AuthTokenFile, path, $"expected a readable file holding the cluster token ({e.GetType().Name}: {e.Message})");
        }
        content = content.Trim();
        if (content.Length == 0)
            throw new P2PConfigException(V.AuthTokenFile, path, "expected a file holding the cluster token, but the file is empty");
        if (content.Any(char.IsControl))
            throw new P2PConfigException(V.AuthTokenFile, path, $"expected a file holding one token: {S.TokenAllowed}");
        return content;
    }

    private static IReadOnlyList<string> ReadVoters(EnvironmentReader reader)
    {
        var raw = reader.Get(V.Voters);
        return raw is null ? [] : CheckVoters(SplitList(raw), raw);
    }

    private static IReadOnlyList<string> ReadPeers(EnvironmentReader reader) => ReadList(reader, V.Peers, S.PeersAllowed);

    private static IReadOnlyList<string> ReadList(EnvironmentReader reader, string variable, string allowed)
    {
        var raw = reader.Get(variable);
        return raw is null ? [] : CheckPeers(SplitList(raw), raw, variable, allowed);
    }

    private static string[] SplitList(string raw) =>
        raw.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
