/*
 * dhgroup.c: variable-time multi-scalar multiplication on edwards25519 for verifiers.
 *
 * Built by crypto/_native/build.py (cffi, `make setup`) into crypto/_dhgroup. Everything
 * here is composed of libsodium 1.0.20's own edwards25519 arithmetic (libsodium/ref10/,
 * vendored unchanged; see crypto/_native/README.md). This file adds:
 *
 *   dh_msm_many     out_o = s_{o,0}*P_0 + ... + s_{o,n-1}*P_{n-1} + b_o*G, o = 0 .. n_out-1
 *   dh_msm_vartime  the same with one output
 *   dh_sum          P_0 + ... + P_{n-1}
 *
 * The multiplications use Straus' interleaving over libsodium's sliding windows: one shared
 * chain of doublings per output, one table of odd multiples per point, and libsodium's
 * precomputed table for the base point G (the code path of libsodium's
 * ge25519_double_scalarmult_vartime, which Ed25519 signature verification uses,
 * generalised from one variable point to n).
 *
 * VARIABLE TIME: the running time depends on the scalars. Only for public values (proof
 * verification, combining published decryption shares); never for a secret.
 *
 * Preconditions, checked: n <= DH_MSM_MAX; every scalar canonical (< L); every point decodes
 * on the curve. Not checked here: that a point is in the prime-order subgroup. The Python
 * caller only passes crypto.group.Point values, which are strictly decoded
 * (crypto_core_ed25519_is_valid_point) when they arrive or computed from such points.
 */

#if defined(__SIZEOF_INT128__)
# define HAVE_TI_MODE 1
#endif
#define CONFIGURED 1
/* Nothing of libsodium is exported from this module. */
#define SODIUM_STATIC 1

#include "ed25519_ref10.c"

/* fe25519_iszero() calls sodium_is_zero() from libsodium's utils.c; this is that function,
   copied unchanged (constant time). */
int
sodium_is_zero(const unsigned char *n, const size_t nlen)
{
    size_t                 i;
    volatile unsigned char d = 0U;

    for (i = 0U; i < nlen; i++) {
        d |= n[i];
    }
    return 1 & ((d - 1) >> 8);
}

#define DH_MSM_MAX 8

static const ge25519_precomp dh_base_odd_multiples[8] = {
#ifdef HAVE_TI_MODE
# include "fe_51/base2.h"
#else
# include "fe_25_5/base2.h"
#endif
};

/* Ai = A, 3A, 5A, ..., 15A in cached form (as libsodium builds it). */
static void
dh_odd_multiples(ge25519_cached Ai[8], const ge25519_p3 *A)
{
    ge25519_p1p1 t;
    ge25519_p3   u;
    ge25519_p3   A2;
    int          k;

    ge25519_p3_to_cached(&Ai[0], A);
    ge25519_p3_dbl(&t, A);
    ge25519_p1p1_to_p3(&A2, &t);
    for (k = 1; k < 8; k++) {
        ge25519_add(&t, &A2, &Ai[k - 1]);
        ge25519_p1p1_to_p3(&u, &t);
        ge25519_p3_to_cached(&Ai[k], &u);
    }
}

#define DH_SUM_MAX 1024

/* out = P_0 + ... + P_{n-1} (1 <= n <= DH_SUM_MAX): one decoding per point, one
   addition per point, one encoding. Same preconditions as dh_msm_vartime. */
int
dh_sum(unsigned char *out, size_t n, const unsigned char *points)
{
    ge25519_p3     acc;
    ge25519_p3     P;
    ge25519_cached c;
    ge25519_p1p1   t;
    size_t         j;

    if (n == 0 || n > DH_SUM_MAX) {
        return -1;
    }
    if (ge25519_frombytes(&acc, points) != 0) {
        return -1;
    }
    for (j = 1; j < n; j++) {
        if (ge25519_frombytes(&P, points + 32 * j) != 0) {
            return -1;
        }
        ge25519_p3_to_cached(&c, &P);
        ge25519_add(&t, &acc, &c);
        ge25519_p1p1_to_p3(&acc, &t);
    }
    ge25519_p3_tobytes(out, &acc);
    return 0;
}

#define DH_MANY_MAX_OUT 256

/*
 * Several multi-scalar multiplications over the same points, as verifying one proof needs:
 *
 *   out_o = s_{o,0}*P_0 + ... + s_{o,n-1}*P_{n-1} + b_o*G      for o = 0 .. n_out-1
 *
 * Each point is decoded and tabulated once for all outputs, zero scalars cost nothing, and
 * the outputs share one field inversion (Montgomery's trick) for their encodings. scalars
 * holds n_out rows of n_points scalars; base_scalars holds n_out scalars (or is NULL).
 * Same preconditions and variable-time warning as dh_msm_vartime.
 */
int
dh_msm_many(unsigned char *out, size_t n_points, const unsigned char *points, size_t n_out,
            const unsigned char *scalars, const unsigned char *base_scalars)
{
    signed char    slides[DH_MSM_MAX][256];
    signed char    bslide[256];
    ge25519_cached tables[DH_MSM_MAX][8];
    ge25519_p2     r[DH_MANY_MAX_OUT];
    fe25519        acc[DH_MANY_MAX_OUT];
    fe25519        inv;
    fe25519        t0;
    fe25519        x;
    fe25519        y;
    ge25519_p3     P;
    ge25519_p3     u;
    ge25519_p1p1   t;
    const unsigned char *row;
    size_t         j;
    size_t         o;
    int            i;
    int            top;
    signed char    s;

    if (n_points > DH_MSM_MAX || n_out == 0 || n_out > DH_MANY_MAX_OUT) {
        return -1;
    }
    for (o = 0; o < n_out * n_points; o++) {
        if (sc25519_is_canonical(scalars + 32 * o) == 0) {
            return -1;
        }
    }
    if (base_scalars != NULL) {
        for (o = 0; o < n_out; o++) {
            if (sc25519_is_canonical(base_scalars + 32 * o) == 0) {
                return -1;
            }
        }
    }
    for (j = 0; j < n_points; j++) {
        if (ge25519_frombytes(&P, points + 32 * j) != 0) {
            return -1;
        }
        dh_odd_multiples(tables[j], &P);
    }

    for (o = 0; o < n_out; o++) {
        row = scalars + 32 * n_points * o;
        top = -1;
        for (j = 0; j < n_points; j++) {
            slide_vartime(slides[j], row + 32 * j);
            for (i = 255; i > top; --i) {
                if (slides[j][i]) {
                    top = i;
                    break;
                }
            }
        }
        if (base_scalars != NULL) {
            slide_vartime(bslide, base_scalars + 32 * o);
            for (i = 255; i > top; --i) {
                if (bslide[i]) {
                    top = i;
                    break;
                }
            }
        } else {
            memset(bslide, 0, sizeof bslide);
        }

        ge25519_p2_0(&r[o]);
        for (i = top; i >= 0; --i) {
            ge25519_p2_dbl(&t, &r[o]);
            for (j = 0; j < n_points; j++) {
                s = slides[j][i];
                if (s > 0) {
                    ge25519_p1p1_to_p3(&u, &t);
                    ge25519_add(&t, &u, &tables[j][s / 2]);
                } else if (s < 0) {
                    ge25519_p1p1_to_p3(&u, &t);
                    ge25519_sub(&t, &u, &tables[j][(-s) / 2]);
                }
            }
            s = bslide[i];
            if (s > 0) {
                ge25519_p1p1_to_p3(&u, &t);
                ge25519_madd(&t, &u, &dh_base_odd_multiples[s / 2]);
            } else if (s < 0) {
                ge25519_p1p1_to_p3(&u, &t);
                ge25519_msub(&t, &u, &dh_base_odd_multiples[(-s) / 2]);
            }
            ge25519_p1p1_to_p2(&r[o], &t);
        }
    }

    /* Encode all outputs with one inversion: acc[o] = Z_0 * ... * Z_o (Z is never zero for a
       point of the curve in projective coordinates). */
    fe25519_copy(acc[0], r[0].Z);
    for (o = 1; o < n_out; o++) {
        fe25519_mul(acc[o], acc[o - 1], r[o].Z);
    }
    fe25519_invert(inv, acc[n_out - 1]);
    for (o = n_out; o-- > 0;) {
        if (o > 0) {
            fe25519_mul(t0, inv, acc[o - 1]); /* 1 / Z_o */
            fe25519_mul(inv, inv, r[o].Z);    /* 1 / (Z_0 ... Z_{o-1}) */
        } else {
            fe25519_copy(t0, inv);
        }
        fe25519_mul(x, r[o].X, t0);
        fe25519_mul(y, r[o].Y, t0);
        fe25519_tobytes(out + 32 * o, y);
        out[32 * o + 31] ^= fe25519_isnegative(x) << 7;
    }
    return 0;
}

/* One multi-scalar multiplication: dh_msm_many with a single output (base_scalar may be
   NULL). */
int
dh_msm_vartime(unsigned char *out, size_t n, const unsigned char *scalars,
               const unsigned char *points, const unsigned char *base_scalar)
{
    return dh_msm_many(out, n, points, 1, scalars, base_scalar);
}
