using System.Globalization;
using System.Text.Json.Nodes;
using RingRift.P2P.Config;
using RingRift.P2P.Hosts;
using RingRift.P2P.Jobs;
using RingRift.P2P.Models;
using RingRift.P2P.Node.Hosting;
using RingRift.P2P.Node.Training;
using RingRift.P2P.Notifications;
using RingRift.P2P.Training;
using Spectre.Console;
using Spectre.Console.Rendering;
using V = RingRift.P2P.Config.P2PEnvironmentVariables;

namespace RingRift.P2P.Node.Cli;

/// <summary>One value of <c>config show</c>: its section, name, value (typed, for <c>--json</c>; as shown) and where it came from.</summary>
public sealed record ConfigRow(string Section, string Name, JsonNode? Value, string Text, string From);

/// <summary>
/// <c>config show</c>: the configuration <c>run</c> would start with (from <see cref="ConfigCheck"/>'s
/// resolution), each value with where it came from, secrets masked; with <c>--hosts</c>, the node's own
/// inventory entry key by key with its line.
/// </summary>
public static class ConfigShowView
{
    /// <summary>How <c>from</c> reads.</summary>
    public const string Legend = "In brackets, where a value that is not the default came from: a --flag, a RINGRIFT_* variable, a key of the hosts file (hosts.*, p2p_voters, raft_members) or of the jobs file (jobs, slots, training.*, webhooks[*]).";

    /// <summary>Shown instead of a secret.</summary>
    public const string Hidden = "(set, hidden)";

    /// <summary>Every setting, in sections: node, cluster, swim and raft, jobs and sync, training, webhooks.</summary>
    public static IReadOnlyList<ConfigRow> Rows(ConfigCheckResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var o = result.Options;
        var c = o.Config;
        var env = result.Environment;
        var src = o.Sources;
        string Src(string setting) => src.TryGetValue(setting, out var from) ? from : NodeOptionsResolver.Default;
        string Env(string variable) => V.SetBy(variable, env) ?? NodeOptionsResolver.Default;
        var rows = new List<ConfigRow>();
        void Add(string section, string name, JsonNode? value, string text, string from) => rows.Add(new ConfigRow(section, name, value, text, from));

        const string Node = "node";
        Add(Node, "node_id", o.NodeId, o.NodeId, Src("node_id"));
        Add(Node, "data_dir", o.DataDir, o.DataDir, Src("data_dir"));
        Add(Node, "host", o.BindHost, o.BindHost, Src("host"));
        Add(Node, "port", o.Port, Num(o.Port), Src("port"));
        Add(Node, "advertise_address", o.AdvertiseAddress, o.AdvertiseAddress ?? "(each peer uses the address it sees)", Src("advertise_address"));
        Add(Node, "auth_token", c.AuthToken is null ? null : Hidden, c.AuthToken is null ? "(none: no authentication)" : Hidden, Src("auth_token"));
        Add(Node, "hosts_file", o.Inventory?.SourceName, o.Inventory?.SourceName ?? "(none)", Src("hosts_file"));
        var jobsPath = result.Flags.Jobs ?? o.JobsSettings.JobsFile;
        Add(Node, "jobs_file", jobsPath, jobsPath ?? "(none: this node runs no jobs)", Src("jobs_file"));
        Add(Node, "max_body_bytes", c.MaxRequestBodyBytes, Num(c.MaxRequestBodyBytes), Env(V.MaxRequestBodyBytes));
        Add(Node, "work_require_fencing", c.WorkRequireFencing, Bool(c.WorkRequireFencing), Env(V.WorkRequireFencing));
        Add(Node, "queue_retention", c.QueueRetention.TotalSeconds,
            c.QueueRetention == TimeSpan.Zero ? "0 (no age limit)" : Seconds(c.QueueRetention), Env(V.QueueRetention));
        Add(Node, "queue_retain_max", c.QueueRetainMax, c.QueueRetainMax == 0 ? "0 (no count limit)" : Num(c.QueueRetainMax), Env(V.QueueRetainMax));

        const string Cluster = "cluster";
        var seeds = o.Seeds.Select(s => Endpoint(s.Host, s.Port)).ToArray();
        Add(Cluster, "peers", List(seeds), seeds.Length > 0 ? string.Join(", ", seeds) : "(none)", Src("peers"));
        Add(Cluster, "known_peers", List(o.KnownPeers.Keys), o.KnownPeers.Count > 0 ? string.Join(", ", o.KnownPeers.Keys) : "(none)", Src("known_peers"));
        Add(Cluster, "voters", List(o.NamedVoters), o.NamedVoters.Count > 0 ? string.Join(", ", o.NamedVoters) : "(every node)", Src("voters"));
        Add(Cluster, "heartbeat_interval", c.HeartbeatInterval.TotalSeconds, Seconds(c.HeartbeatInterval), Env(V.HeartbeatInterval));
        Add(Cluster, "peer_timeout", c.PeerTimeout.TotalSeconds, Seconds(c.PeerTimeout), Env(V.PeerTimeout));
        Add(Cluster, "leader_lease", c.LeaderLeaseDuration.TotalSeconds, Seconds(c.LeaderLeaseDuration), Env(V.LeaderLease));
        Add(Cluster, "load_max_for_new_jobs", c.LoadMaxForNewJobs, Num(c.LoadMaxForNewJobs) + (c.LoadMaxForNewJobsFromPercent ? " (given as a percentage)" : ""), Env(V.LoadMaxForNewJobs));

        const string Protocols = "swim and raft";
        Add(Protocols, "swim_enabled", c.SwimEnabled, Bool(c.SwimEnabled), Env(V.SwimEnabled));
        Add(Protocols, "membership_mode", Wire(c.MembershipMode), Wire(c.MembershipMode), Env(V.MembershipMode));
        Add(Protocols, "swim_port", o.SwimPort, Num(o.SwimPort), Src("swim_port"));
        var swimSeeds = o.SwimSeeds.Select(s => s.ToString()).ToArray();
        Add(Protocols, "swim_seeds", List(swimSeeds), swimSeeds.Length > 0 ? string.Join(", ", swimSeeds) : "(none)", Src("swim_seeds"));
        Add(Protocols, "raft_enabled", c.RaftEnabled, Bool(c.RaftEnabled), Env(V.RaftEnabled));
        Add(Protocols, "consensus_mode", Wire(c.ConsensusMode), Wire(c.ConsensusMode), Env(V.ConsensusMode));
        Add(Protocols, "raft_port", o.RaftPort, Num(o.RaftPort), Src("raft_port"));
        var members = o.Raft.Members.Select(m => m == o.Raft.Self ? $"{m} (self)" : m).ToArray();
        Add(Protocols, "raft_members", List(o.Raft.Members), string.Join(", ", members) + (o.Raft.IsSingleNode ? " (a group of one)" : ""), Src("raft_members"));
        Add(Protocols, "raft_election_timeout_ms", c.RaftElectionTimeoutMs, Num(c.RaftElectionTimeoutMs), Env(V.RaftElectionTimeout));
        Add(Protocols, "raft_heartbeat_ratio", c.RaftHeartbeatRatio, Num(c.RaftHeartbeatRatio), Env(V.RaftHeartbeatRatio));
        Add(Protocols, "raft_warmup", c.RaftWarmUp, Bool(c.RaftWarmUp), Env(V.RaftWarmUp));

        const string Jobs = "jobs and sync";
        var types = o.Jobs?.Capabilities.Select(t => t.WireName()).ToArray() ?? [];
        Add(Jobs, "job_types", List(types), types.Length > 0 ? string.Join(", ", types) : "(none)", o.Jobs is null ? NodeOptionsResolver.Default : "jobs");
        var perGpu = o.Jobs?.PerGpu ?? RingRift.P2P.Node.Jobs.JobsFile.DefaultPerGpu;
        var cpuSlots = o.Jobs?.CpuSlots ?? RingRift.P2P.Node.Jobs.JobsFile.DefaultCpuSlots;
        Add(Jobs, "slots", new JsonObject { ["per_gpu"] = perGpu, ["cpu"] = cpuSlots }, $"{perGpu} per GPU, {cpuSlots} CPU",
            perGpu != RingRift.P2P.Node.Jobs.JobsFile.DefaultPerGpu || cpuSlots != RingRift.P2P.Node.Jobs.JobsFile.DefaultCpuSlots ? "slots" : NodeOptionsResolver.Default);
        var s = o.JobsSettings;
        Add(Jobs, "gpu_count", s.GpuCount, s.GpuCount is { } g ? Num(g) : "(counted with nvidia-smi at start)", Env(JobsSettings.GpuCountVariable));
        Add(Jobs, "jobs_pull", s.PullWork, Bool(s.PullWork), Env(JobsSettings.JobsPullVariable));
        Add(Jobs, "jobs_poll_interval", s.PollInterval.TotalSeconds, Seconds(s.PollInterval), Env(JobsSettings.JobsPollIntervalVariable));
        Add(Jobs, "sync_bandwidth_mbps", s.SyncBandwidthMbps, s.SyncBandwidthMbps == 0 ? "0 (unlimited)" : Num(s.SyncBandwidthMbps), Env(JobsSettings.SyncBandwidthVariable));
        Add(Jobs, "sync_max_concurrent_pulls", s.SyncMaxConcurrentPulls, Num(s.SyncMaxConcurrentPulls), Env(JobsSettings.SyncConcurrentPullsVariable));
        Add(Jobs, "sync_reserve_mb", s.SyncReserveMb, Num(s.SyncReserveMb), Env(JobsSettings.SyncReserveVariable));
        Add(Jobs, "sync_stall_timeout", s.SyncStallTimeout.TotalSeconds, Seconds(s.SyncStallTimeout), Env(JobsSettings.SyncStallTimeoutVariable));

        AddTraining(rows, result);
        AddWebhooks(rows, result);
        return rows;
    }

    private static void AddTraining(List<ConfigRow> rows, ConfigCheckResult result)
    {
        const string Training = "training";
        var file = result.Options.Jobs?.Training ?? new TrainingFileSettings();
        // Errors are reported by the check already; here each bad value shows its default.
        var (interval, t, o) = file.Resolve(result.Environment, result.Options.Config, ConfigProblems.Collect());
        string From(string variable, object? fromFile, string key) =>
            V.SetBy(variable, result.Environment) ?? (fromFile is not null ? $"training.{key}" : NodeOptionsResolver.Default);
        void Add(string name, JsonNode? value, string text, string from) => rows.Add(new ConfigRow(Training, name, value, text, from));

        Add("check_interval", interval.TotalSeconds, Seconds(interval), From(V.JobCheckInterval, file.CheckInterval, "check_interval_seconds"));
        Add("min_games", t.MinGames, Num(t.MinGames), From(TrainingThresholds.MinGamesVariable, file.MinGames, "min_games"));
        Add("staleness_hours", t.StalenessHours, Num(t.StalenessHours), From(TrainingThresholds.StalenessHoursVariable, file.StalenessHours, "staleness_hours"));
        Add("min_hours_between_training", t.MinHoursBetweenTraining, Num(t.MinHoursBetweenTraining), From(TrainingThresholds.MinHoursBetweenTrainingVariable, file.MinHoursBetweenTraining, "min_hours_between_training"));
        Add("promotion_elo_margin", o.PromotionEloMargin, Num(o.PromotionEloMargin), From(TrainingOptions.PromotionEloMarginVariable, file.PromotionEloMargin, "promotion_elo_margin"));
        Add("max_concurrent_trainings", o.MaxConcurrentTrainings, Num(o.MaxConcurrentTrainings), From(TrainingOptions.MaxConcurrentTrainingsVariable, file.MaxConcurrentTrainings, "max_concurrent_trainings"));
        var configs = o.SelfplayConfigs.Select(b => b.ToString()).ToArray();
        Add("selfplay_configs", List(configs), configs.Length > 0 ? string.Join(", ", configs) : "(none)", From(TrainingOptions.SelfplayConfigsVariable, file.SelfplayConfigs, "selfplay_configs"));
        Add("selfplay_backlog", o.SelfplayBacklog, Num(o.SelfplayBacklog), From(TrainingOptions.SelfplayBacklogVariable, file.SelfplayBacklog, "selfplay_backlog"));
        Add("selfplay_games", o.SelfplayGames, Num(o.SelfplayGames), From(TrainingOptions.SelfplayGamesVariable, file.SelfplayGames, "selfplay_games"));
    }

    private static void AddWebhooks(List<ConfigRow> rows, ConfigCheckResult result)
    {
        const string Webhooks = "webhooks";
        var fromFile = result.Options.Jobs?.Webhooks ?? [];
        var variables = new[] { WebhookConfig.UrlVariable, WebhookConfig.SlackUrlVariable, WebhookConfig.DiscordUrlVariable };
        foreach (var hook in result.Options.Webhooks)
        {
            var index = fromFile.ToList().IndexOf(hook);
            var from = index >= 0 ? $"webhooks[{index}]"
                : variables.FirstOrDefault(v => result.Environment.GetValueOrDefault(v)?.Trim() == hook.Url) ?? "environment";
            var url = MaskUrl(hook.Url);
            var events = hook.Events.Count > 0 ? string.Join(", ", hook.Events) : "every event";
            var format = hook.EffectiveFormat.ToString().ToLowerInvariant();
            rows.Add(new ConfigRow(Webhooks, "webhook",
                new JsonObject { ["url"] = url, ["format"] = format, ["events"] = List(hook.Events) },
                $"{url} ({format}; {events})", from));
        }
        if (result.Options.Webhooks.Count == 0) rows.Add(new ConfigRow(Webhooks, "webhook", null, "(none)", NodeOptionsResolver.Default));
    }

    /// <summary>
    /// The node's own entry of the hosts file, key by key (every key this program reads, then the
    /// address, whether the entry is active and whether it votes), each with the line that set it; empty
    /// without a hosts file or an entry.
    /// </summary>
    public static IReadOnlyList<ConfigRow> InventoryEntry(ConfigCheckResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var inventory = result.Options.Inventory;
        if (inventory is null || !inventory.Hosts.TryGetValue(result.Options.NodeId, out var h)) return [];
        var section = $"hosts.{h.Id} (this node's inventory entry)";
        var rows = new List<ConfigRow>();
        string From(string key) => inventory.LineOf($"hosts.{h.Id}.{key}") is { } line ? $"line {line}" : NodeOptionsResolver.Default;
        void Add(string key, JsonNode? value, string? text) => rows.Add(new ConfigRow(section, key, value, text ?? "-", text is null ? NodeOptionsResolver.Default : From(key)));

        Add("ssh_host", h.SshHost, h.SshHost);
        Add("tailscale_ip", h.TailscaleIp, h.TailscaleIp);
        Add("role", h.Role, h.Role);
        Add("status", h.Status, h.Status);
        Add("p2p_enabled", h.P2pEnabled, Bool(h.P2pEnabled));
        Add("voter", h.Voter, Bool(h.Voter));
        Add("gpu", h.Gpu, h.Gpu is null ? null : $"{h.Gpu} (power {Num(h.GpuPower)})");
        Add("gpu_vram_gb", h.GpuVramGb, h.GpuVramGb is { } vram ? Num(vram) : null);
        Add("memory_gb", h.MemoryGb, h.MemoryGb is { } memory ? Num(memory) : null);
        Add("cpus", h.Cpus, h.Cpus is { } cpus ? Num(cpus) : null);
        Add("training_enabled", h.TrainingEnabled, Bool(h.TrainingEnabled));
        Add("selfplay_enabled", h.SelfplayEnabled, Bool(h.SelfplayEnabled));
        Add("nat_blocked", h.NatBlocked, Bool(h.NatBlocked));
        Add("p2p_port", h.P2pPort, Num(h.P2pPort));
        Add("swim_port", h.SwimPort, Num(h.SwimPort));
        Add("raft_port", h.RaftPort, Num(h.RaftPort));
        Add("arch", h.Arch, h.Arch);
        rows.Add(new ConfigRow(section, "address", h.Address, h.Address ?? "-", h.TailscaleIp is not null ? "tailscale_ip" : h.SshHost is not null ? "ssh_host" : NodeOptionsResolver.Default));
        rows.Add(new ConfigRow(section, "active", h.IsActive, Bool(h.IsActive), "status, p2p_enabled"));
        var votes = inventory.Voters().Contains(h.Id, StringComparer.Ordinal);
        rows.Add(new ConfigRow(section, "votes", votes, Bool(votes), inventory.P2pVoters.Count > 0 ? "p2p_voters" : "voter"));
        var raft = inventory.RaftGroup().Contains(h.Id, StringComparer.Ordinal);
        rows.Add(new ConfigRow(section, "raft_member", raft, Bool(raft), inventory.RaftMembers.Count > 0 ? "raft_members" : "p2p_voters"));
        return rows;
    }

    /// <summary>
    /// The table (80 columns on a plain console): each setting, its value and, in brackets, where a value
    /// that is not the default came from. The check's errors and warnings are printed after it, one line each.
    /// </summary>
    public static IRenderable Render(ConfigCheckResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var parts = new List<IRenderable>
        {
            CompactTable.Line($"node {result.Options.NodeId}: the configuration run would start with"),
            CompactTable.Line(Legend),
        };
        var entry = InventoryEntry(result);
        var rows = Rows(result).Concat(entry).ToArray();
        // One table per section, the names' column as wide in each, so the values line up down the page.
        var nameWidth = rows.Max(r => r.Name.Length);
        foreach (var section in rows.GroupBy(r => r.Section))
        {
            var table = CompactTable.Create("", "");
            table.ShowHeaders = false;
            table.Columns[0].Width(nameWidth).NoWrap();
            foreach (var row in section)
                table.AddRow(new Text(row.Name), new Text(IsDefault(row.From) ? row.Text : $"{row.Text}  ({row.From})"));
            parts.Add(CompactTable.Section(section.Key, table));
        }
        if (result.Options.Inventory is { } inventory && entry.Count == 0)
            parts.Add(CompactTable.Line($"{inventory.SourceName} has no entry for {result.Options.NodeId}"));
        return new Rows(parts);
    }

    /// <summary>True for the sources that mean "nothing set it": the table then shows no bracket.</summary>
    public static bool IsDefault(string from) => from == NodeOptionsResolver.Default;

    /// <summary><c>--json</c>: <c>node_id</c>, <c>settings</c> [{section, name, value, from}], <c>inventory_entry</c> (null without one), <c>errors</c>, <c>warnings</c>.</summary>
    public static JsonObject Json(ConfigCheckResult result)
    {
        static JsonArray Of(IEnumerable<ConfigRow> rows) => new([.. rows.Select(r => (JsonNode)new JsonObject
        {
            ["section"] = r.Section,
            ["name"] = r.Name,
            ["value"] = r.Value?.DeepClone(),
            ["from"] = r.From,
        })]);
        var entry = InventoryEntry(result);
        return new JsonObject
        {
            ["node_id"] = result.Options.NodeId,
            ["ok"] = result.Ok,
            ["settings"] = Of(Rows(result)),
            ["inventory_entry"] = entry.Count == 0 ? null : Of(entry),
            ["errors"] = ConfigReport.Json(result.Errors),
            ["warnings"] = ConfigReport.Json(result.Warnings),
        };
    }

    /// <summary>
    /// A URL with what may be secret left out: user info, path and query (Slack and Discord webhook
    /// URLs carry their token in the path). <c>https://hooks.slack.com/services/T/B/X</c> → <c>https://hooks.slack.com/…</c>.
    /// </summary>
    public static string MaskUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) return Hidden;
        var port = uri.IsDefaultPort ? "" : $":{uri.Port.ToString(CultureInfo.InvariantCulture)}";
        var rest = uri.PathAndQuery is "/" or "" && uri.Fragment.Length == 0 ? "/" : "/…";
        return $"{uri.Scheme}://{uri.IdnHost}{port}{rest}";
    }

    private static JsonArray List(IEnumerable<string> items) => new([.. items.Select(i => (JsonNode)i)]);

    private static string Endpoint(string host, int port) =>
        host.Contains(':') ? $"[{host}]:{port.ToString(CultureInfo.InvariantCulture)}" : $"{host}:{port.ToString(CultureInfo.InvariantCulture)}";

    private static string Num(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan t) => $"{Num(t.TotalSeconds)} s";

    private static string Bool(bool value) => value ? "true" : "false";

    private static string Wire<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();
}
