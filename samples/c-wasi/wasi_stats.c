// A C module that uses the C library through WASI: printf, malloc, qsort.
// Built with `python -m ziglang cc -target wasm32-wasi -mexec-model=reactor` (the
// wasi_ prefix tells samples/build.py). Inside the sandbox it gets stdout and stderr.
#include <stdio.h>
#include <stdlib.h>

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

__attribute__((export_name("alloc"))) double *alloc(int n) { return malloc(sizeof(double) * n); }
__attribute__((export_name("release"))) void release(double *p) { free(p); }

// Sorts the values in place, prints a summary, returns the median.
__attribute__((export_name("median"))) double median(double *xs, int n) {
    qsort(xs, n, sizeof(double), cmp);
    double sum = 0;
    for (int i = 0; i < n; i++) sum += xs[i];
    printf("C: %d values, min %.2f, max %.2f, mean %.3f\n", n, xs[0], xs[n - 1], sum / n);
    fflush(stdout);
    return n % 2 ? xs[n / 2] : (xs[n / 2 - 1] + xs[n / 2]) / 2;
}
