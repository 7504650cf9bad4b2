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
    public static P2PConfig FromEnvironment(IReadOnlyDictionary<string, string?>? env = null) => FromEnvironment(env, ConfigProblems.ThrowFirst);

    /// <summary>
    /// As <see cref="FromEnvironment(IReadOnlyDictionary{string, string?}?)"/>, sending every bad value to
    /// <paramref name="problems"/>: when it collects, each bad variable is recorded and keeps its default,
    /// and the configuration of the rest is returned.
    /// </summary>
    /// <exception cref="P2PConfigException">A variable holds a bad value and <paramref name="problems"/> throws the first.</exception>
    public static P2PConfig FromEnvironment(IReadOnlyDictionary<string, string?>? env, ConfigProblems problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var reader = new EnvironmentReader(env);
        var defaults = new P2PConfig();
        // Read in the order start-up always has, so the first error it reports is unchanged.
        var loadMax = problems.Read(() => S.LoadMaxForNewJobs.Read(reader));
        var port = problems.Read(() => S.Port.Read(reader));
        var errorsBefore = problems.Errors.Count;
        var heartbeat = problems.Read(() => S.HeartbeatInterval.Read(reader));
        var peerTimeout = problems.Read(() => S.PeerTimeout.Read(reader));
        var timingsRead = problems.Errors.Count == errorsBefore;
        var config = new P2PConfig
        {
            DefaultPort = port ?? defaults.DefaultPort,
            HeartbeatInterval = heartbeat ?? defaults.HeartbeatInterval,
            PeerTimeout = peerTimeout ?? defaults.PeerTimeout,
            LeaderLeaseDuration = problems.Read(() => S.LeaderLease.Read(reader)) ?? defaults.LeaderLeaseDuration,
            LoadMaxForNewJobs = loadMax?.Fraction ?? defaults.LoadMaxForNewJobs,
            LoadMaxForNewJobsFromPercent = loadMax?.FromPercent ?? false,
            JobCheckInterval = problems.Read(() => S.JobCheckInterval.Read(reader)) ?? defaults.JobCheckInterval,
            SwimEnabled = problems.Read(() => S.SwimEnabled.Read(reader)) ?? defaults.SwimEnabled,
            RaftEnabled = problems.Read(() => S.RaftEnabled.Read(reader)) ?? defaults.RaftEnabled,
            MembershipMode = problems.Read(() => S.MembershipMode.Read(reader)) ?? defaults.MembershipMode,
            ConsensusMode = problems.Read(() => S.ConsensusMode.Read(reader)) ?? defaults.ConsensusMode,
            SwimBindPort = problems.Read(() => S.SwimBindPort.Read(reader)) ?? defaults.SwimBindPort,
            SwimSeeds = problems.Read(() => ReadList(reader, V.SwimSeeds, S.SwimSeedsAllowed), []),
            RaftBindPort = problems.Read(() => S.RaftBindPort.Read(reader)) ?? defaults.RaftBindPort,
            RaftPeers = problems.Read(() => ReadList(reader, V.RaftPeers, S.RaftPeersAllowed), []),
            RaftElectionTimeoutMs = problems.Read(() => S.RaftElectionTimeout.Read(reader)) ?? defaults.RaftElectionTimeoutMs,
            RaftHeartbeatRatio = problems.Read(() => S.RaftHeartbeatRatio.Read(reader)) ?? defaults.RaftHeartbeatRatio,
            RaftWarmUp = problems.Read(() => S.RaftWarmUp.Read(reader)) ?? defaults.RaftWarmUp,
            AuthToken = problems.Read(() => ReadAuthToken(reader)),
            NodeId = problems.Read(() => S.NodeId.Read(reader)),
            Voters = problems.Read(() => ReadVoters(reader), []),
            Peers = problems.Read(() => ReadPeers(reader), []),
            HostsFile = problems.Read(() => S.HostsFile.Read(reader)),
            DataDir = problems.Read(() => S.DataDir.Read(reader)),
            BindHost = problems.Read(() => S.BindHost.Read(reader)) ?? defaults.BindHost,
            AdvertiseAddress = problems.Read(() => S.AdvertiseAddress.Read(reader)),
            MaxRequestBodyBytes = problems.Read(() => S.MaxRequestBodyBytes.Read(reader)) ?? defaults.MaxRequestBodyBytes,
            WorkRequireFencing = problems.Read(() => S.WorkRequireFencing.Read(reader)) ?? defaults.WorkRequireFencing,
            StorageReserveMb = problems.Read(() => S.StorageReserveMb.Read(reader)) ?? defaults.StorageReserveMb,
            QueueRetention = problems.Read(() => S.QueueRetention.Read(reader)) is { } retention ? TimeSpan.FromSeconds(retention) : defaults.QueueRetention,
            QueueRetainMax = problems.Read(() => S.QueueRetainMax.Read(reader)) ?? defaults.QueueRetainMax,
        };
        // The rule across two timings is only meaningful when both were read; a bad one is already reported.
        if (timingsRead) problems.Check(() => config.Validate());
        return config;
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
