namespace Pds.Core.Syntax;

/// <summary>
/// Mints TIDs that strictly increase for the life of the generator: when the clock stalls
/// within a microsecond or steps backwards, the timestamp is bumped past the last one issued
/// instead of following the clock. Processes that run side by side need distinct clock ids.
/// </summary>
public sealed class TidGenerator
{
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private long _lastMicros = -1;

    public TidGenerator(int clockId, TimeProvider? timeProvider = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(clockId);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(clockId, Tid.MaxClockId);
        ClockId = clockId;
        _time = timeProvider ?? TimeProvider.System;
    }

    public int ClockId { get; }

    /// <summary>A generator with a random clock id, for a single process that has no assigned one.</summary>
    public static TidGenerator WithRandomClockId(TimeProvider? timeProvider = null) =>
        new(Random.Shared.Next(Tid.MaxClockId + 1), timeProvider);

    public Tid Next() => NextAtLeast(0);

    /// <summary>
    /// A TID strictly greater than <paramref name="previous"/> and than anything issued so far,
    /// e.g. a repo <c>rev</c> after one written by another process or before a clock change.
    /// </summary>
    public Tid NextAfter(Tid previous)
    {
        // Same microsecond still sorts after previous when our clock id is the larger one.
        var min = previous.TimestampMicroseconds + (ClockId > previous.ClockId ? 0 : 1);
        if (min > Tid.MaxMicroseconds)
        {
            throw new ArgumentOutOfRangeException(nameof(previous), "no TID can follow this one");
        }
        return NextAtLeast(min);
    }

    private Tid NextAtLeast(long minMicros)
    {
        var now = (_time.GetUtcNow().UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;
        lock (_lock)
        {
            var micros = Math.Max(Math.Max(now, minMicros), _lastMicros + 1);
            if (micros > Tid.MaxMicroseconds)
            {
                throw new InvalidOperationException("TID timestamp space exhausted");
            }
            _lastMicros = micros;
            return Tid.FromParts(micros, ClockId);
        }
    }
}
