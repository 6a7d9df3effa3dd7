namespace Pds.Core.Crypto.Secp256k1;

/// <summary>An affine point (x, y) of the curve y^2 = x^3 + 7; cannot represent the identity.</summary>
internal struct AffinePoint
{
    public U256 X;
    public U256 Y;

    public AffinePoint(in U256 x, in U256 y)
    {
        X = x;
        Y = y;
    }
}

/// <summary>
/// A point in homogeneous projective coordinates (X : Y : Z), x = X/Z and y = Y/Z, on
/// Y^2 Z = X^3 + 7 Z^3. The identity is (0 : 1 : 0).
/// </summary>
/// <remarks>
/// Addition uses the complete formulas for prime-order short Weierstrass curves with a = 0
/// (Renes, Costello and Batina, "Complete addition formulas for prime order elliptic curves",
/// 2016). Writing b3 = 3b = 21, the sum of (X1 : Y1 : Z1) and (X2 : Y2 : Z2) is
/// <code>
///   X3 = (X1 Y2 + X2 Y1)(Y1 Y2 - b3 Z1 Z2) - b3 (Y1 Z2 + Y2 Z1)(X1 Z2 + X2 Z1)
///   Y3 = (Y1 Y2 + b3 Z1 Z2)(Y1 Y2 - b3 Z1 Z2) + 3 b3 X1 X2 (X1 Z2 + X2 Z1)
///   Z3 = (Y1 Z2 + Y2 Z1)(Y1 Y2 + b3 Z1 Z2) + 3 X1 X2 (X1 Y2 + X2 Y1)
/// </code>
/// and it is correct for every pair of points, including doubling and the identity on either
/// side, because the curve has no points of order 2. So a scalar multiplication never needs
/// to test whether its accumulator is the identity or equals the addend: no branches on secrets.
/// Each mixed sum X1 Y2 + X2 Y1 is found from one product as (X1 + Y1)(X2 + Y2) - X1 X2 - Y1 Y2.
/// </remarks>
internal struct ProjectivePoint
{
    private const ulong B3 = 21;

    public U256 X;
    public U256 Y;
    public U256 Z;

    public ProjectivePoint(in U256 x, in U256 y, in U256 z)
    {
        X = x;
        Y = y;
        Z = z;
    }

    public static ProjectivePoint Identity => new(default, ModP.One, default);

    public static ProjectivePoint FromAffine(in AffinePoint p) => new(p.X, p.Y, ModP.One);

    /// <summary>The complete sum of two projective points: 12 multiplications, 2 by b3.</summary>
    public static ProjectivePoint Add(in ProjectivePoint p, in ProjectivePoint q)
    {
        var xx = ModP.Multiply(p.X, q.X);
        var yy = ModP.Multiply(p.Y, q.Y);
        var zz = ModP.Multiply(p.Z, q.Z);
        var xyCross = CrossSum(p.X, p.Y, q.X, q.Y, xx, yy);
        var yzCross = CrossSum(p.Y, p.Z, q.Y, q.Z, yy, zz);
        var xzCross = CrossSum(p.X, p.Z, q.X, q.Z, xx, zz);
        return Combine(xx, yy, zz, xyCross, yzCross, xzCross);
    }

    /// <summary>
    /// The complete sum with an affine point (Z2 = 1): 11 multiplications, 2 by b3. p may be the
    /// identity; q cannot be (it has no affine form).
    /// </summary>
    public static ProjectivePoint AddAffine(in ProjectivePoint p, in AffinePoint q)
    {
        var xx = ModP.Multiply(p.X, q.X);
        var yy = ModP.Multiply(p.Y, q.Y);
        var xyCross = CrossSum(p.X, p.Y, q.X, q.Y, xx, yy);
        // With Z2 = 1: Y1 Z2 + Y2 Z1 = Y1 + Y2 Z1, X1 Z2 + X2 Z1 = X1 + X2 Z1, Z1 Z2 = Z1.
        var yzCross = ModP.Add(ModP.Multiply(q.Y, p.Z), p.Y);
        var xzCross = ModP.Add(ModP.Multiply(q.X, p.Z), p.X);
        return Combine(xx, yy, p.Z, xyCross, yzCross, xzCross);
    }

    /// <summary>q where mask is all ones, p where it is zero.</summary>
    public static ProjectivePoint Select(in ProjectivePoint p, in ProjectivePoint q, ulong mask) => new(
        U256.Select(p.X, q.X, mask),
        U256.Select(p.Y, q.Y, mask),
        U256.Select(p.Z, q.Z, mask));

    /// <summary>The affine x coordinate X/Z; the point must not be the identity.</summary>
    public readonly U256 AffineX() => ModP.Multiply(X, ModP.Invert(Z));

    /// <summary>The affine form; the point must not be the identity.</summary>
    public readonly AffinePoint ToAffine()
    {
        var inverse = ModP.Invert(Z);
        return new AffinePoint(ModP.Multiply(X, inverse), ModP.Multiply(Y, inverse));
    }

    /// <summary>a1 b2 + a2 b1 = (a1 + b1)(a2 + b2) - a1 a2 - b1 b2, given a1 a2 and b1 b2.</summary>
    private static U256 CrossSum(in U256 a1, in U256 b1, in U256 a2, in U256 b2, in U256 aa, in U256 bb) =>
        ModP.Sub(ModP.Multiply(ModP.Add(a1, b1), ModP.Add(a2, b2)), ModP.Add(aa, bb));

    /// <summary>The shared tail of both additions: the formulas in the type's remarks.</summary>
    private static ProjectivePoint Combine(in U256 xx, in U256 yy, in U256 zz, in U256 xyCross, in U256 yzCross, in U256 xzCross)
    {
        var xx3 = ModP.Add(ModP.Add(xx, xx), xx);
        var zzB3 = ModP.Multiply(zz, B3);
        var sum = ModP.Add(yy, zzB3);
        var difference = ModP.Sub(yy, zzB3);
        var xzB3 = ModP.Multiply(xzCross, B3);
        return new ProjectivePoint(
            ModP.Sub(ModP.Multiply(xyCross, difference), ModP.Multiply(yzCross, xzB3)),
            ModP.Add(ModP.Multiply(sum, difference), ModP.Multiply(xx3, xzB3)),
            ModP.Add(ModP.Multiply(yzCross, sum), ModP.Multiply(xx3, xyCross)));
    }
}
