namespace RingRift.P2P.Testing.Faults;

/// <summary>
/// The TCP state column (<c>st</c>) of <c>/proc/net/tcp</c> and <c>/proc/net/tcp6</c>, with the
/// kernel's numbering (include/net/tcp_states.h). Only the states the fault tools look at are named;
/// any other value still round-trips as a number.
/// </summary>
public enum ProcTcpState : byte
{
    Established = 0x01,
    SynSent = 0x02,
    SynReceived = 0x03,
    FinWait1 = 0x04,
    FinWait2 = 0x05,
    TimeWait = 0x06,
    Close = 0x07,
    CloseWait = 0x08,
    LastAck = 0x09,
    Listen = 0x0A,
    Closing = 0x0B,
    NewSynReceived = 0x0C,
}
