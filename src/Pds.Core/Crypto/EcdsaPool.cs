using System.Security.Cryptography;

namespace Pds.Core.Crypto;

/// <summary>
/// A few ECDsa instances for one key. ECDsa objects are not documented thread-safe, and
/// importing a key costs about as much as a verification (OpenSSL checks the point), so
/// callers rent an instance, use it alone, and give it back; a miss imports a fresh one.
/// </summary>
internal sealed class EcdsaPool : IDisposable
{
    private static readonly int Size = Math.Clamp(Environment.ProcessorCount, 1, 16);

    private readonly ECDsa?[] _slots = new ECDsa?[Size];
    private readonly Func<ECDsa> _create;
    private volatile bool _disposed;

    public EcdsaPool(Func<ECDsa> create, ECDsa? first = null)
    {
        _create = create;
        _slots[0] = first;
    }

    public Lease Rent()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        for (var i = 0; i < _slots.Length; i++)
        {
            var taken = Interlocked.Exchange(ref _slots[i], null);
            if (taken is not null)
            {
                return new Lease(this, taken);
            }
        }
        return new Lease(this, _create());
    }

    public void Dispose()
    {
        _disposed = true;
        for (var i = 0; i < _slots.Length; i++)
        {
            Interlocked.Exchange(ref _slots[i], null)?.Dispose();
        }
    }

    private void Return(ECDsa ecdsa)
    {
        for (var i = 0; !_disposed && i < _slots.Length; i++)
        {
            if (Interlocked.CompareExchange(ref _slots[i], ecdsa, null) is null)
            {
                // Dispose may have swept the slots just before the store; sweep this one again.
                if (_disposed)
                {
                    Interlocked.Exchange(ref _slots[i], null)?.Dispose();
                }
                return;
            }
        }
        ecdsa.Dispose();
    }

    /// <summary>Exclusive use of one instance until disposed (use with <c>using</c>).</summary>
    public readonly ref struct Lease(EcdsaPool pool, ECDsa ecdsa)
    {
        public ECDsa Ecdsa { get; } = ecdsa;

        public void Dispose() => pool.Return(Ecdsa);
    }
}
