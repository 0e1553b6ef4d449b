/*
 * CVipsResample.h — Lanczos3 resampling of 8-bit pixels in memory, for the thumbnail fast path.
 *
 * Why this file exists: after a JPEG's scaled DCT (CVipsDecode.h) a thumbnail still has a small
 * reduce to make (750 × 500 to 512 × 341 for a 6 MP photo in a 512 box). libvips 8.14 makes it
 * with a plain C loop across each row and an Orc program, compiled anew for every image, down
 * each column: a fifth of the request's CPU. Here the same Lanczos3 window is applied to the
 * decoded buffer directly, down the columns first (a loop along the row that the compiler
 * vectorises) and then across the fewer remaining rows.
 *
 * Weights are 14-bit fixed point, normalised over the input pixels each window covers (at an
 * edge the window is cut short, not extended), and results are rounded and clamped after each
 * direction, as libvips' own 8-bit reduce does. Only the Swift `Vips` module imports this header.
 */
#ifndef CVIPS_RESAMPLE_H
#define CVIPS_RESAMPLE_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#include <glib.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define CVIPS_RESAMPLE_BITS 14

/* The windows of one direction: output i reads `count[i]` inputs from `first[i]`, weighted by
 * `weights[i * taps …]`; `taps` is the widest window, rounded up to even (the weights past a
 * window's end are zero). */
typedef struct {
    int taps;
    int *first;
    int *count;
    int16_t *weights;
} CVipsWindows;

static inline double cvips_lanczos3(double x) {
    if (x < 0) x = -x;
    if (x < 1e-9) return 1;
    if (x >= 3) return 0;
    double pi = 3.14159265358979323846 * x;
    return 3 * sin(pi) * sin(pi / 3) / (pi * pi);
}

static inline void cvips_windows_free(CVipsWindows *windows) {
    g_free(windows->first);
    g_free(windows->count);
    g_free(windows->weights);
    windows->first = windows->count = NULL;
    windows->weights = NULL;
}

/* The windows that take `in` samples to `out` (out <= in): centred on each output's centre,
 * three output pixels wide on each side. 0 on success, -1 when memory runs out. */
static inline int cvips_windows_make(CVipsWindows *windows, int in, int out) {
    double scale = (double) in / (double) out, support = 3 * scale;
    windows->taps = (int) ceil(support) * 2 + 2;
    windows->first = (int *) g_try_malloc(sizeof(int) * (size_t) out);
    windows->count = (int *) g_try_malloc(sizeof(int) * (size_t) out);
    windows->weights = (int16_t *) g_try_malloc0(sizeof(int16_t) * (size_t) out * (size_t) windows->taps);
    double *exact = (double *) g_try_malloc(sizeof(double) * (size_t) windows->taps);
    if (!windows->first || !windows->count || !windows->weights || !exact) {
        cvips_windows_free(windows);
        g_free(exact);
        return -1;
    }
    for (int i = 0; i < out; i++) {
        double centre = (i + 0.5) * scale;
        int from = (int) floor(centre - support), to = (int) ceil(centre + support);
        if (from < 0) from = 0;
        if (to > in) to = in;
        if (to - from > windows->taps - 1) to = from + windows->taps - 1; /* a zero weight always follows */
        double sum = 0;
        for (int j = from; j < to; j++) sum += exact[j - from] = cvips_lanczos3((j + 0.5 - centre) / scale);
        if (sum == 0) sum = 1;
        /* Rounded to fixed point; what rounding lost goes to the largest weight, so the
         * weights sum to exactly one and a flat area stays flat. */
        int16_t *weights = windows->weights + (size_t) i * (size_t) windows->taps;
        int32_t total = 0;
        int largest = 0;
        for (int j = 0; j < to - from; j++) {
            weights[j] = (int16_t) lround(exact[j] / sum * (1 << CVIPS_RESAMPLE_BITS));
            total += weights[j];
            if (weights[j] > weights[largest]) largest = j;
        }
        weights[largest] = (int16_t) (weights[largest] + (1 << CVIPS_RESAMPLE_BITS) - total);
        windows->first[i] = from;
        windows->count[i] = to - from;
    }
    g_free(exact);
    return 0;
}

static inline unsigned char cvips_resample_clamp(int32_t sum) {
    sum = (sum + (1 << (CVIPS_RESAMPLE_BITS - 1))) >> CVIPS_RESAMPLE_BITS;
    return (unsigned char) (sum < 0 ? 0 : sum > 255 ? 255 : sum);
}

/* Output row `y` of the pass down the columns, `stride` bytes; the scalar form of each byte. */
static inline unsigned char cvips_resample_down_one(const unsigned char *rows, size_t stride, const int16_t *weights,
                                                    int count, size_t x) {
    int32_t sum = 0;
    for (int t = 0; t < count; t++) sum += weights[t] * rows[(size_t) t * stride + x];
    return cvips_resample_clamp(sum);
}

/* Rows `height` → `windows` outputs, for rows of `stride` bytes. */
static inline void cvips_resample_down(const unsigned char *in, unsigned char *out, size_t stride, int out_height,
                                       const CVipsWindows *windows) {
    for (int y = 0; y < out_height; y++) {
        const int16_t *weights = windows->weights + (size_t) y * (size_t) windows->taps;
        const unsigned char *rows = in + (size_t) windows->first[y] * stride;
        int count = windows->count[y];
        unsigned char *to = out + (size_t) y * stride;
        size_t x = 0;
#if defined(__SSE2__)
        /* Sixteen bytes at a time, two rows at a time: the rows' bytes interleaved as 16-bit
         * pairs, multiplied by the pair of weights and summed in one step (pmaddwd). */
        const __m128i zero = _mm_setzero_si128(), half = _mm_set1_epi32(1 << (CVIPS_RESAMPLE_BITS - 1));
        for (; x + 16 <= stride; x += 16) {
            __m128i sums[4] = {half, half, half, half};
            for (int t = 0; t < count; t += 2) {
                const unsigned char *upper = rows + (size_t) t * stride + x;
                const unsigned char *lower = t + 1 < count ? upper + stride : upper;
                __m128i pair = _mm_set1_epi32((int32_t) ((uint16_t) weights[t] | ((uint32_t) (uint16_t) weights[t + 1] << 16)));
                __m128i a = _mm_loadu_si128((const __m128i *) upper), b = _mm_loadu_si128((const __m128i *) lower);
                __m128i low = _mm_unpacklo_epi8(a, b), high = _mm_unpackhi_epi8(a, b);
                sums[0] = _mm_add_epi32(sums[0], _mm_madd_epi16(_mm_unpacklo_epi8(low, zero), pair));
                sums[1] = _mm_add_epi32(sums[1], _mm_madd_epi16(_mm_unpackhi_epi8(low, zero), pair));
                sums[2] = _mm_add_epi32(sums[2], _mm_madd_epi16(_mm_unpacklo_epi8(high, zero), pair));
                sums[3] = _mm_add_epi32(sums[3], _mm_madd_epi16(_mm_unpackhi_epi8(high, zero), pair));
            }
            for (int i = 0; i < 4; i++) sums[i] = _mm_srai_epi32(sums[i], CVIPS_RESAMPLE_BITS);
            __m128i words = _mm_packus_epi16(_mm_packs_epi32(sums[0], sums[1]), _mm_packs_epi32(sums[2], sums[3]));
            _mm_storeu_si128((__m128i *) (to + x), words);
        }
#endif
        for (; x < stride; x++) to[x] = cvips_resample_down_one(rows, stride, weights, count, x);
    }
}

/* Each of `height` rows of `in_width` pixels → `windows` outputs, `bands` bytes a pixel. The
 * rows may be read up to 4 bytes past their end (the caller pads the buffer). */
static inline void cvips_resample_across(const unsigned char *in, unsigned char *out, int in_width, int out_width,
                                         int height, int bands, const CVipsWindows *windows) {
    for (int y = 0; y < height; y++) {
        const unsigned char *row = in + (size_t) y * (size_t) in_width * (size_t) bands;
        unsigned char *to = out + (size_t) y * (size_t) out_width * (size_t) bands;
        for (int x = 0; x < out_width; x++) {
            const int16_t *weights = windows->weights + (size_t) x * (size_t) windows->taps;
            const unsigned char *from = row + (size_t) windows->first[x] * (size_t) bands;
            int count = windows->count[x];
#if defined(__SSE2__)
            if (bands >= 3) {
                /* A pixel's 4 bytes (a 3-band pixel's and the next one's first), two pixels at a
                 * time as 16-bit pairs per band, each pair weighted and summed in one step. */
                const __m128i zero = _mm_setzero_si128();
                __m128i sums = _mm_set1_epi32(1 << (CVIPS_RESAMPLE_BITS - 1));
                for (int t = 0; t < count; t += 2) {
                    int32_t first, second;
                    memcpy(&first, from + (size_t) t * (size_t) bands, 4);
                    memcpy(&second, from + (size_t) (t + 1) * (size_t) bands, 4);
                    __m128i pixels = _mm_unpacklo_epi8(_mm_unpacklo_epi8(_mm_cvtsi32_si128(first), _mm_cvtsi32_si128(second)), zero);
                    __m128i pair = _mm_set1_epi32((int32_t) ((uint16_t) weights[t] | ((uint32_t) (uint16_t) weights[t + 1] << 16)));
                    sums = _mm_add_epi32(sums, _mm_madd_epi16(pixels, pair));
                }
                sums = _mm_srai_epi32(sums, CVIPS_RESAMPLE_BITS);
                int32_t bytes = _mm_cvtsi128_si32(_mm_packus_epi16(_mm_packs_epi32(sums, zero), zero));
                memcpy(to + (size_t) x * (size_t) bands, &bytes, (size_t) bands);
                continue;
            }
#endif
            int32_t sums[4] = {0, 0, 0, 0};
            for (int t = 0; t < count; t++) {
                int32_t weight = weights[t];
                for (int b = 0; b < bands; b++) sums[b] += weight * from[t * bands + b];
            }
            for (int b = 0; b < bands; b++) to[x * bands + b] = cvips_resample_clamp(sums[b]);
        }
    }
}

/* `pixels` (width × height, 1 to 4 bands of 8 bits) resampled to out_width × out_height, no
 * larger: a new buffer (g_free it), or NULL when memory runs out or the sizes are out of range. */
static inline unsigned char *cvips_resample(const unsigned char *pixels, int width, int height, int bands,
                                            int out_width, int out_height) {
    if (bands < 1 || bands > 4 || out_width < 1 || out_height < 1 || out_width > width || out_height > height) return NULL;
    size_t stride = (size_t) width * (size_t) bands;
    CVipsWindows down = {0, NULL, NULL, NULL}, across = {0, NULL, NULL, NULL};
    unsigned char *middle = NULL, *out = NULL;
    int failed = cvips_windows_make(&down, height, out_height) || cvips_windows_make(&across, width, out_width);
    if (!failed) {
        /* Padded: the pass across reads up to a pixel and 4 bytes past a row's end. */
        middle = (unsigned char *) g_try_malloc0(stride * (size_t) out_height + 16);
        out = (unsigned char *) g_try_malloc((size_t) out_width * (size_t) bands * (size_t) out_height);
        failed = !middle || !out;
    }
    if (!failed) {
        cvips_resample_down(pixels, middle, stride, out_height, &down);
    }
    if (!failed) cvips_resample_across(middle, out, width, out_width, out_height, bands, &across);
    cvips_windows_free(&down);
    cvips_windows_free(&across);
    g_free(middle);
    if (failed) {
        g_free(out);
        return NULL;
    }
    return out;
}

#endif /* CVIPS_RESAMPLE_H */
