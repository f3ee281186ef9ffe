# vectorAddDrv: a host C program on the driver API (libmusa) that loads
# its kernel from a .mubin built beside it with mcc --device-only. The
# .mubin is not executable, so the sample runner skips it.
$(B)/samples/vectorAdd_kernel.mubin: samples/vectorAddDrv/vectorAdd_kernel.mu $(TOOLCHAIN)
	@mkdir -p $(dir $@)
	@echo "  MCC     $@"
	$(Q)$(MCC_RUN) -O2 --device-only $< -o $@
	$(Q)chmod a-x $@

$(B)/samples/vectorAddDrv: samples/vectorAddDrv/vectorAddDrv.c $(B)/samples/vectorAdd_kernel.mubin $(TOOLCHAIN)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) -O2 -g -std=gnu11 -Wall -Wextra $(SAN) -I$(TOP)/include -o $@ $< \
		-L$(B)/lib -lmusa -lm -Wl,-rpath,$(B)/lib
