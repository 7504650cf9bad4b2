using System.Text.Json.Nodes;
using RingRift.P2P.Loops;
using RingRift.P2P.Node.Hosting;
using RingRift.P2P.Notifications;
using RingRift.P2P.Storage;

namespace RingRift.P2P.Node.Storage;

/// <summary>
/// The node's side of <see cref="StorageHealth"/>: writes the reserve file before the other services start,
/// announces each transition as a cluster event (<c>storage_full</c>, <c>storage_recovered</c>, also sent
/// to webhooks) and a log line, and while the disk is full tries to recover every <see cref="RecoverPeriod"/>
/// so the flag clears when space returns even if no write comes.
/// </summary>
public sealed class StorageService(StorageHealth storage, IClusterEventPublisher events, TimeProvider time, LoopRegistry loops,
    ILogger<StorageService> logger) : PeriodicService(time, loops, logger)
{
    /// <summary>How often a full node looks for free space again: 2 s.</summary>
    public static readonly TimeSpan RecoverPeriod = TimeSpan.FromSeconds(2);

    private StorageState? _lastFull;

    protected override TimeSpan Period => RecoverPeriod;

    public override string LoopName => "storage";

    protected override Task PrepareAsync(CancellationToken ct)
    {
        storage.Changed += OnChanged;
        storage.Prepare();
        return Task.CompletedTask;
    }

    protected override Task StepAsync(CancellationToken ct)
    {
        storage.TryRecover();
        return Task.CompletedTask;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        storage.Changed -= OnChanged;
        await base.StopAsync(cancellationToken);
    }

    private void OnChanged(StorageState state)
    {
        if (state.Full)
        {
            _lastFull = state;
            logger.StorageFull(state.Path ?? storage.Directory, state.Error ?? "");
            events.Publish(ClusterEventNames.StorageFull, new JsonObject
            {
                ["path"] = state.Path,
                ["error"] = state.Error,
                ["since"] = state.Since?.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                ["data_dir"] = storage.Directory,
            });
            return;
        }
        var full = _lastFull;
        var seconds = full?.Since is { } began ? Math.Round((Time.GetUtcNow() - began).TotalSeconds, 3) : 0;
        logger.StorageRecovered(full?.Path ?? storage.Directory, seconds, state.RefusedWrites);
        events.Publish(ClusterEventNames.StorageRecovered, new JsonObject
        {
            ["path"] = full?.Path,
            ["full_seconds"] = seconds,
            ["refused_writes"] = state.RefusedWrites,
            ["data_dir"] = storage.Directory,
        });
    }
}
