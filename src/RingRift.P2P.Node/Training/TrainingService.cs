using RingRift.P2P.Training;

namespace RingRift.P2P.Node.Training;

/// <summary>
/// Training/ holds the leader's training loop host and its settings from the jobs file.
///Runs the training-trigger loop for the node's lifetime; it acts only while this node serves the queue.
/// </summary>
public sealed class TrainingService(TrainingLoop loop) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => loop.RunAsync(stoppingToken);
}
