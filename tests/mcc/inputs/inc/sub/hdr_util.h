/* Found next to the header that includes it (inc/sub/), not next to the
 * .mu: it must still be found once that header is put into the .mu. */
#define HDR_STEP 2
