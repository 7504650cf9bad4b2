namespace RingRift.P2P.Bench;

/// <summary>One node process read from <c>/proc</c> at a minute's end.</summary>
public sealed record NodeReading(string Node, int Pid, double RssMb, int Fds, int Threads, double UptimeSeconds);
