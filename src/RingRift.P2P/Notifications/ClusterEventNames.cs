namespace RingRift.P2P.Notifications;

/// <summary>Names of the cluster events published through <see cref="ClusterEvents"/> (and the webhook <c>events</c> filter).</summary>
public static class ClusterEventNames
{
    /// <summary>The leader enqueued a training: config, priority, reason, games, work_id.</summary>
    public const string TrainingTriggered = "training_triggered";

    /// <summary>A training finished: config, work_id, model_path, node, games_used, duration_s.</summary>
    public const string TrainingComplete = "training_complete";

    /// <summary>An evaluated model became the champion: config, model_path, elo, previous_elo, node.</summary>
    public const string ModelPromoted = "model_promoted";

    /// <summary>Membership declared a node dead.</summary>
    public const string NodeOffline = "node_offline";

    /// <summary>A new leader took over.</summary>
    public const string LeaderChanged = "leader_changed";

    /// <summary>A work item failed for good (no attempts left): work_id, work_type, error, attempts, claimed_by.</summary>
    public const string WorkFailed = "work_failed";

    /// <summary>
    /// This node's data dir filled up: a write failed for lack of space and writes are refused (HTTP 507) until
    /// space returns: path, error (naming the filesystem), since, data_dir. Sent by the full node itself.
    /// </summary>
    public const string StorageFull = "storage_full";

    /// <summary>Space returned after <see cref="StorageFull"/> and writes resumed: path, full_seconds, refused_writes, data_dir.</summary>
    public const string StorageRecovered = "storage_recovered";

    /// <summary>Every name above.</summary>
    public static IReadOnlyList<string> All { get; } =
        [TrainingTriggered, TrainingComplete, ModelPromoted, NodeOffline, LeaderChanged, WorkFailed, StorageFull, StorageRecovered];
}
